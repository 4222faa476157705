package io.mainloop.memory.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** The idempotency ledger: one row per consumed event id. */
@ApplicationScoped
public class ProcessedEventRepository implements PanacheRepositoryBase<ProcessedEvent, UUID> {

    /**
     * Records {@code eventId} as processed within the caller's transaction.
     *
     * @return false if it was recorded before (a redelivery: the caller must skip its write)
     */
    public boolean markProcessed(UUID eventId, String topic) {
        int inserted = getEntityManager().createNativeQuery(
                        "INSERT INTO processed_event (event_id, topic, processed_at) VALUES (?1, ?2, ?3) "
                                + "ON CONFLICT (event_id) DO NOTHING")
                .setParameter(1, eventId).setParameter(2, topic).setParameter(3, Instant.now())
                .executeUpdate();
        return inserted == 1;
    }
}
