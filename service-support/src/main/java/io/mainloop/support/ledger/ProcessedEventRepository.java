package io.mainloop.support.ledger;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/**
 * The idempotency ledger of the service's own schema: one {@link ProcessedEvent} row per
 * consumed event id. Both methods need the caller's transaction.
 */
@ApplicationScoped
public class ProcessedEventRepository implements PanacheRepositoryBase<ProcessedEvent, UUID> {

    /**
     * Records {@code eventId} (consumed from {@code topic}) as processed, in the caller's
     * transaction, with {@code INSERT ... ON CONFLICT DO NOTHING}.
     *
     * @return true the first time; false if it was recorded before (a redelivery: the caller
     *     must skip its write)
     * @throws jakarta.persistence.PersistenceException if the database refuses the insert (e.g.
     *     no {@code processed_event} table)
     */
    public boolean markProcessed(UUID eventId, String topic) {
        int inserted = getEntityManager().createNativeQuery(
                        "INSERT INTO processed_event (event_id, topic, processed_at) VALUES (?1, ?2, ?3) "
                                + "ON CONFLICT (event_id) DO NOTHING")
                .setParameter(1, eventId).setParameter(2, topic).setParameter(3, Instant.now())
                .executeUpdate();
        return inserted == 1;
    }

    /**
     * Deletes the rows processed before {@code cutoff}, in the caller's transaction.
     *
     * @return how many rows were deleted
     */
    public long deleteOlderThan(Instant cutoff) {
        return delete("processedAt < ?1", cutoff);
    }
}
