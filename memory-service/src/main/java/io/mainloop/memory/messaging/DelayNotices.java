package io.mainloop.memory.messaging;

import io.mainloop.contracts.ConversationEvent.ThreadNotice;
import io.mainloop.contracts.EventIds;
import io.mainloop.memory.config.MemoryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Makes processing that keeps failing visible: every failed attempt is logged and counted
 * ({@code mainloop_processing_failures_total}, and {@code mainloop_processing_delayed} records
 * being retried now, in {@code /q/metrics}); once one input has failed for longer than
 * {@code mainloop.memory.delay-notice-after}, the owner gets a live {@code thread.notice} (sent
 * straight to Kafka: the database may be what is down), and another with {@code resolved=true}
 * when it went through.
 */
@ApplicationScoped
public class DelayNotices {

    private static final Logger LOG = Logger.getLogger(DelayNotices.class);

    /** The notice key of a delayed store. */
    public static final String KEY = "storage-delayed";

    @Inject
    MemoryConfig config;

    @Inject
    EventPublisher publisher;

    private final Map<UUID, Delay> delays = new ConcurrentHashMap<>();
    private final AtomicInteger delayed = new AtomicInteger();
    private final Counter failures;

    private record Delay(String threadId, Instant since, boolean noticed) {
    }

    @Inject
    DelayNotices(MeterRegistry registry) {
        failures = Counter.builder("mainloop.processing.failures")
                .description("Failed attempts to process a consumed record (each is retried)").register(registry);
        registry.gauge("mainloop.processing.delayed", delayed);
    }

    /** Records a failed attempt at {@code eventId}; after the notice delay, tells the owner. */
    public void failed(UUID eventId, String threadId, Exception cause) {
        failures.increment();
        Delay delay = delays.computeIfAbsent(eventId, id -> {
            delayed.incrementAndGet();
            return new Delay(threadId, Instant.now(), false);
        });
        LOG.warnf("processing event %s of thread %s failed (retrying): %s", eventId, threadId, cause.toString());
        if (!delay.noticed() && Instant.now().isAfter(delay.since().plus(config.delayNoticeAfter()))) {
            delays.put(eventId, new Delay(threadId, delay.since(), true));
            publisher.sendAndForget(new ThreadNotice(EventIds.named("notice", eventId), Instant.now(), 1, threadId, KEY,
                    "Your message is safe, but storing it is delayed: the database is unreachable. "
                            + "mainloop keeps retrying.", false));
        }
    }

    /** Records that {@code eventId} went through; clears its notice if one was shown. */
    public void succeeded(UUID eventId) {
        Delay delay = delays.remove(eventId);
        if (delay == null) {
            return;
        }
        delayed.decrementAndGet();
        LOG.infof("event %s of thread %s processed after %s", eventId, delay.threadId(),
                java.time.Duration.between(delay.since(), Instant.now()));
        if (delay.noticed()) {
            publisher.sendAndForget(new ThreadNotice(EventIds.named("notice-resolved", eventId), Instant.now(), 1,
                    delay.threadId(), KEY, "Storage is back; nothing was lost.", true));
        }
    }
}
