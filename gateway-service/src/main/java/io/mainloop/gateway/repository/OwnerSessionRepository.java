package io.mainloop.gateway.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Reads and writes {@link OwnerSessionEntity}; callers run in a transaction. */
@ApplicationScoped
public class OwnerSessionRepository implements PanacheRepositoryBase<OwnerSessionEntity, String> {

    /** Whether a session with {@code idHash} exists and expires after {@code now}. */
    public boolean isLive(String idHash, Instant now) {
        return count("idHash = ?1 and expiresAt > ?2", idHash, now) > 0;
    }

    /** Deletes every session that expired at or before {@code now}; returns how many. */
    public long deleteExpired(Instant now) {
        return delete("expiresAt <= ?1", now);
    }
}
