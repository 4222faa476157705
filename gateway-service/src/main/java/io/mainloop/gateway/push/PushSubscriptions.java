package io.mainloop.gateway.push;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The push subscriptions, each of one thread, and the ledger of pushed events, shared by every
 * gateway replica through the {@code gateway} schema. Each method is one transaction; blocking (JDBC).
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
     * Adds the browser subscription {@code endpoint} with its keys for thread {@code threadId},
     * or, when that endpoint is there already, keeps it (with the keys given now, which the
     * browser may have renewed) and moves it to {@code threadId}: a device gets the pushes of
     * whoever subscribed it last.
     */
    @Transactional
    public Subscribed subscribe(String threadId, String endpoint, String p256dh, String auth) {
        var existing = repository.byEndpoint(endpoint);
        if (existing.isPresent()) {
            PushSubscriptionEntity s = existing.get();
            s.threadId = threadId;
            s.p256dh = p256dh;
            s.auth = auth;
            return new Subscribed(view(s), false);
        }
        PushSubscriptionEntity s = new PushSubscriptionEntity();
        s.id = UUID.randomUUID();
        s.threadId = threadId;
        s.endpoint = endpoint;
        s.p256dh = p256dh;
        s.auth = auth;
        s.createdAt = Instant.now();
        repository.persist(s);
        return new Subscribed(view(s), true);
    }

    /** Removes the subscription of {@code endpoint} if it is of thread {@code threadId}; returns whether there was one. */
    @Transactional
    public boolean unsubscribe(String threadId, String endpoint) {
        return repository.deleteByEndpoint(threadId, endpoint);
    }

    /** Removes the subscription of {@code endpoint}, whatever its thread (operations and tests); returns whether there was one. */
    @Transactional
    public boolean unsubscribe(String endpoint) {
        return repository.deleteByEndpoint(endpoint);
    }

    /** Every subscription of every thread, oldest first. */
    @Transactional
    public List<Subscription> list() {
        return repository.all().stream().map(PushSubscriptions::view).toList();
    }

    /** The subscriptions of thread {@code threadId}, oldest first. */
    @Transactional
    public List<Subscription> list(String threadId) {
        return repository.ofThread(threadId).stream().map(PushSubscriptions::view).toList();
    }

    /**
     * Claims the push of event {@code eventId} of thread {@code threadId}: records it as pushed
     * (and forgets events pushed before {@code forgetBefore}, which are too old to be pushed again
     * anyway) and answers where to push: the subscriptions of that thread only, all in one
     * transaction that commits before anything is sent.
     *
     * @return the subscriptions to push to, or null when this event was pushed before (a redelivery)
     */
    @Transactional
    public List<PushSender.Target> claim(UUID eventId, String threadId, Instant now, Instant forgetBefore) {
        repository.deleteSentBefore(forgetBefore);
        if (!repository.markSent(eventId, now)) {
            return null;
        }
        return repository.ofThread(threadId).stream().map(s -> new PushSender.Target(s.endpoint, s.p256dh, s.auth))
                .toList();
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
