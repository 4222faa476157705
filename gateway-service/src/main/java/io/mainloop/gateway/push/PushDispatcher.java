package io.mainloop.gateway.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.gateway.config.GatewayConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Pushes a notification to every device subscribed to the event's thread, once per event: the event id is claimed in
 * {@code push_sent} (committed before sending, so a redelivered event, or another replica, pushes
 * nothing), then each device gets its push on a virtual thread of its own, so a slow push service
 * holds up neither the Kafka consumer nor the other devices. A push service's 404 or 410 deletes
 * the subscription; other failures are logged (the endpoint's origin and the status, no key) and
 * counted, not retried: a notification is best effort, the thread keeps the message.
 */
@ApplicationScoped
public class PushDispatcher {

    private static final Logger LOG = Logger.getLogger(PushDispatcher.class);

    @Inject
    GatewayConfig config;

    @Inject
    PushSubscriptions subscriptions;

    @Inject
    VapidKeyStore keys;

    @Inject
    PushSender sender;

    @Inject
    ObjectMapper json;

    private final ExecutorService sends = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("web-push-", 0).factory());
    private final AtomicInteger sending = new AtomicInteger();

    /**
     * Pushes {@code notification} for event {@code eventId} of thread {@code threadId}, which
     * happened at {@code occurredAt}, to that thread's devices, unless pushes are disabled, the event is older than {@code mainloop.gateway.push.max-age}, or
     * it was pushed before. Returns once the claim is committed and the sends are started.
     *
     * @return how many devices it is being pushed to (0 when skipped)
     * @throws RuntimeException when the database fails (nothing was claimed: the caller retries)
     */
    public int pushOnce(UUID eventId, String threadId, Instant occurredAt, PushNotification notification) {
        GatewayConfig.Push push = config.push();
        Instant now = Instant.now();
        if (!push.enabled()) {
            return 0;
        }
        if (occurredAt != null && occurredAt.isBefore(now.minus(push.maxAge()))) {
            LOG.infof("event %s happened at %s, longer than %s ago: not pushed", eventId, occurredAt, push.maxAge());
            return 0;
        }
        var webPush = keys.webPush(); // before the claim: a key that cannot be had fails (and is retried) unclaimed
        List<PushSender.Target> targets = subscriptions.claim(eventId, threadId, now,
                now.minus(push.maxAge()).minusSeconds(3600));
        if (targets == null) {
            LOG.debugf("event %s was pushed before: not again", eventId);
            return 0;
        }
        byte[] payload = payload(notification);
        for (PushSender.Target target : targets) {
            sending.incrementAndGet();
            sends.execute(() -> {
                try {
                    deliver(webPush, target, payload, eventId);
                } finally {
                    sending.decrementAndGet();
                }
            });
        }
        return targets.size();
    }

    /**
     * How many pushes are being sent right now (started by {@link #pushOnce}, not yet answered and
     * recorded): 0 means every push started so far has reached its push service or failed.
     */
    public int sending() {
        return sending.get();
    }

    private void deliver(com.interaso.webpush.WebPush webPush, PushSender.Target target, byte[] payload, UUID eventId) {
        PushSender.Outcome outcome = sender.send(webPush, target, payload);
        String origin = origin(target.endpoint());
        if (outcome.gone()) {
            LOG.infof("push of event %s: %s answered %d, the subscription is gone; deleting it", eventId, origin,
                    outcome.status());
        } else if (!outcome.delivered()) {
            LOG.warnf("push of event %s to %s failed: %s", eventId, origin,
                    outcome.status() == 0 ? outcome.problem() : "HTTP " + outcome.status());
        }
        try {
            subscriptions.record(target.endpoint(), outcome, Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("cannot record the push of event %s to %s: %s", eventId, origin, e.toString());
        }
    }

    private byte[] payload(PushNotification notification) {
        try {
            return json.writeValueAsString(notification).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The endpoint's scheme and authority: what a log may say about where a push went (the path is a capability). */
    static String origin(String endpoint) {
        try {
            URI uri = URI.create(endpoint);
            return uri.getScheme() + "://" + uri.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return "(an unreadable endpoint)";
        }
    }

    @PreDestroy
    void stop() {
        sends.shutdown();
    }
}
