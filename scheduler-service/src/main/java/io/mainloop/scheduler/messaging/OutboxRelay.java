package io.mainloop.scheduler.messaging;

import io.mainloop.scheduler.config.SchedulerConfig;
import io.mainloop.scheduler.repository.OutboxRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Publishes the transactional outbox: right after a firing's commit for its thread, and every 5 s
 * for rows unsent for more than 5 s (a failed publish, a crash). A thread's rows are locked while
 * they are sent, so two replicas never send them out of order; rows are marked sent only after
 * Kafka acknowledged them, so a failure sends them again later (same event ids: consumers drop
 * the duplicates). Sent rows are kept for {@code mainloop.scheduler.outbox-retention} (their
 * unique ids make a repeated firing a no-op), then pruned hourly.
 *
 * <p>Its ticks run on Quarkus' simple in-process scheduler ({@code Scheduled.SIMPLE}) on every
 * replica, not as clustered Quartz jobs.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int SWEEP_AGE_S = 5;

    @Inject
    OutboxRepository outbox;

    @Inject
    EventPublisher publisher;

    @Inject
    SchedulerConfig config;

    @Inject
    OutboxRelay self;

    /**
     * Publishes the thread's unsent events, in order, and marks them sent.
     *
     * @throws RuntimeException if the database or Kafka fails (the rows stay unsent)
     */
    @Transactional
    public void publishPending(String threadId) {
        List<OutboxRepository.Entry> pending = outbox.lockUnsent(threadId);
        if (pending.isEmpty()) {
            return;
        }
        // sent with this transaction suspended (its row locks stay held): Kafka's completion callbacks
        // run on other threads, which must not join the transaction (Narayana then refuses the commit)
        QuarkusTransaction.suspendingExisting().run(() -> publisher.publish(pending));
        outbox.markSent(pending);
    }

    /** Like {@link #publishPending}, but a failure is logged (the sweep sends the rows later) instead of thrown. */
    public void tryPublish(String threadId) {
        try {
            self.publishPending(threadId);
        } catch (RuntimeException e) {
            LOG.warnf("outbox of thread %s not published yet (retried every %d s): %s", threadId, SWEEP_AGE_S,
                    e.getMessage());
        }
    }

    /** Publishes rows a failed publish or a crash left behind. */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            executeWith = Scheduled.SIMPLE)
    void sweep() {
        List<String> threads;
        try {
            threads = self.leftBehind();
        } catch (RuntimeException e) {
            LOG.debugf("outbox sweep skipped: %s", e.getMessage());
            return;
        }
        threads.forEach(this::tryPublish);
    }

    /** Deletes sent rows older than the retention. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            executeWith = Scheduled.SIMPLE)
    @Transactional
    void prune() {
        int deleted = outbox.deleteSentBefore(Instant.now().minus(config.outboxRetention()));
        if (deleted > 0) {
            LOG.debugf("pruned %d sent outbox rows", deleted);
        }
    }

    /** Threads whose outbox has rows unsent for longer than the sweep age. */
    @Transactional
    List<String> leftBehind() {
        return outbox.threadsWithUnsentOlderThan(SWEEP_AGE_S);
    }
}
