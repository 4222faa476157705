package io.mainloop.gateway.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One browser session of the owner (table {@code gateway.owner_session}). */
@Entity
@Table(name = "owner_session")
public class OwnerSessionEntity extends PanacheEntityBase {

    /** SHA-256 of the session id, 64 lower-case hex digits; the id itself is never stored. */
    @Id
    @Column(name = "id_hash", length = 64)
    public String idHash;

    /** When the session was opened (login). */
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** From this instant on the session no longer opens anything. */
    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
}
