package io.mainloop.gateway.push;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The push tables of the {@code gateway} schema: subscriptions ({@link PushSubscriptionEntity}),
 * the ledger of pushed events ({@code push_sent}) and the generated VAPID key pair
 * ({@code push_vapid}). Every method needs the caller's transaction.
 */
@ApplicationScoped
public class PushRepository implements PanacheRepositoryBase<PushSubscriptionEntity, UUID> {

    /** The subscription of {@code endpoint}, if any. */
    public Optional<PushSubscriptionEntity> byEndpoint(String endpoint) {
        return find("endpoint", endpoint).firstResultOptional();
    }

    /** Deletes the subscription of {@code endpoint}; returns whether there was one. */
    public boolean deleteByEndpoint(String endpoint) {
        return delete("endpoint", endpoint) > 0;
    }

    /** Deletes the subscription of {@code endpoint} if it is of thread {@code threadId}; returns whether there was one. */
    public boolean deleteByEndpoint(String threadId, String endpoint) {
        return delete("threadId = ?1 and endpoint = ?2", threadId, endpoint) > 0;
    }

    /** The subscriptions of thread {@code threadId}, oldest first. */
    public List<PushSubscriptionEntity> ofThread(String threadId) {
        return list("threadId = ?1 order by createdAt", threadId);
    }

    /**
     * Records {@code eventId} as pushed at {@code now} with {@code INSERT ... ON CONFLICT DO NOTHING}.
     *
     * @return true the first time; false when it was pushed before (a redelivery)
     */
    public boolean markSent(UUID eventId, Instant now) {
        return getEntityManager().createNativeQuery(
                        "INSERT INTO push_sent (event_id, sent_at) VALUES (?1, ?2) ON CONFLICT (event_id) DO NOTHING")
                .setParameter(1, eventId).setParameter(2, now).executeUpdate() == 1;
    }

    /** Deletes the ledger rows of events pushed before {@code cutoff}; returns how many. */
    public int deleteSentBefore(Instant cutoff) {
        return getEntityManager().createNativeQuery("DELETE FROM push_sent WHERE sent_at < ?1")
                .setParameter(1, cutoff).executeUpdate();
    }

    /**
     * Stores {@code publicKey} and {@code privateKey} as the VAPID key pair unless one is stored
     * already ({@code ON CONFLICT DO NOTHING}), then answers the stored pair: two replicas racing
     * here both end with the pair that was inserted first.
     *
     * @return {@code [publicKey, privateKey]} as stored (base64url)
     */
    public String[] vapidKeysOr(String publicKey, String privateKey, Instant now) {
        var em = getEntityManager();
        em.createNativeQuery("INSERT INTO push_vapid (id, public_key, private_key, created_at) "
                        + "VALUES (1, ?1, ?2, ?3) ON CONFLICT (id) DO NOTHING")
                .setParameter(1, publicKey).setParameter(2, privateKey).setParameter(3, now).executeUpdate();
        Object[] row = (Object[]) em.createNativeQuery("SELECT public_key, private_key FROM push_vapid WHERE id = 1")
                .getSingleResult();
        return new String[] {(String) row[0], (String) row[1]};
    }

    /** Every subscription, oldest first. */
    public List<PushSubscriptionEntity> all() {
        return list("order by createdAt");
    }
}
