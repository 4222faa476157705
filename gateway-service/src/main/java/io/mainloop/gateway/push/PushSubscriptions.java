package io.mainloop.gateway.push;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The owner's push subscriptions and the ledger of pushed events, shared by every gateway replica
 * through the {@code gateway} schema. Each method is one transaction; blocking (JDBC).
 */
@ApplicationScoped
public class PushSubscriptions {

    /** A subscription as the API answers it. */
    public record Subscription(UUID id, String endpoint, Instant createdAt) {
    }

    /** What {@link #subscribe} did: {@code created} false when the endpoint was there already. */
    public record Subscribed(Subscription subscription, boolean created) {
    }

    @Inject
    PushRepository repository;

    /**
     * Adds the browser subscription {@code endpoint} with its keys, or, when that endpoint is there
     * already, keeps it (with the keys given now, which the browser may have renewed).
     */
    @Transactional
    public Subscribed subscribe(String endpoint, String p256dh, String auth) {
        var existing = repository.byEndpoint(endpoint);
        if (existing.isPresent()) {
            PushSubscriptionEntity s = existing.get();
            s.p256dh = p256dh;
            s.auth = auth;
            return new Subscribed(view(s), false);
        }
        PushSubscriptionEntity s = new PushSubscriptionEntity();
        s.id = UUID.randomUUID();
        s.endpoint = endpoint;
        s.p256dh = p256dh;
        s.auth = auth;
        s.createdAt = Instant.now();
        repository.persist(s);
        return new Subscribed(view(s), true);
    }

    /** Removes the subscription of {@code endpoint}; returns whether there was one. */
    @Transactional
    public boolean unsubscribe(String endpoint) {
        return repository.deleteByEndpoint(endpoint);
    }

    /** Every subscription, oldest first. */
    @Transactional
    public List<Subscription> list() {
        return repository.all().stream().map(PushSubscriptions::view).toList();
    }

    /**
     * Claims the push of event {@code eventId}: records it as pushed (and forgets events pushed
     * before {@code forgetBefore}, which are too old to be pushed again anyway) and answers where
     * to push, all in one transaction that commits before anything is sent.
     *
     * @return the subscriptions to push to, or null when this event was pushed before (a redelivery)
     */
    @Transactional
    public List<PushSender.Target> claim(UUID eventId, Instant now, Instant forgetBefore) {
        repository.deleteSentBefore(forgetBefore);
        if (!repository.markSent(eventId, now)) {
            return null;
        }
        return repository.all().stream().map(s -> new PushSender.Target(s.endpoint, s.p256dh, s.auth)).toList();
    }

    /**
     * Records how a push to {@code endpoint} went: delivered sets {@code last_success_at}, gone
     * (404, 410) deletes the subscription, anything else adds one to {@code failures}.
     */
    @Transactional
    public void record(String endpoint, PushSender.Outcome outcome, Instant now) {
        if (outcome.gone()) {
            repository.deleteByEndpoint(endpoint);
            return;
        }
        repository.byEndpoint(endpoint).ifPresent(s -> {
            if (outcome.delivered()) {
                s.lastSuccessAt = now;
            } else {
                s.failures++;
            }
        });
    }

    private static Subscription view(PushSubscriptionEntity s) {
        return new Subscription(s.id, s.endpoint, s.createdAt);
    }
}
