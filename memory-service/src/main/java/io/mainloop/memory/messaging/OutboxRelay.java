package io.mainloop.memory.messaging;

import io.mainloop.memory.repository.OutboxRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Publishes the transactional outbox: right after each consumer's commit for its thread, and
 * every 5 s for rows older than 5 s (left by a failed publish or a crash). Rows of a thread are
 * locked while they are sent, so two relays (two replicas, or the consumer and the sweep) never
 * send them out of order; rows are deleted only after Kafka acknowledged them, so a failure
 * sends them again later (same event ids: consumers drop the duplicates).
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
    OutboxRelay self;

    /**
     * Publishes the thread's pending events, in order, and deletes them.
     *
     * @throws RuntimeException if the database or Kafka fails (the rows stay)
     */
    @Transactional
    public void publishPending(String threadId) {
        List<OutboxRepository.Entry> pending = outbox.lockPending(threadId);
        if (pending.isEmpty()) {
            return;
        }
        // sent with this transaction suspended (its row locks stay held): Kafka's completion callbacks
        // run on other threads, which must not join the transaction (Narayana then refuses the commit)
        io.quarkus.narayana.jta.QuarkusTransaction.suspendingExisting().run(() -> publisher.publish(pending));
        outbox.delete(pending);
    }

    /** Publishes rows a failed publish or a crash left behind. */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        List<String> threads;
        try {
            threads = self.leftBehind();
        } catch (RuntimeException e) {
            LOG.debugf("outbox sweep skipped: %s", e.getMessage());
            return;
        }
        for (String thread : threads) {
            try {
                self.publishPending(thread);
            } catch (RuntimeException e) {
                LOG.warnf("outbox of thread %s not published yet: %s", thread, e.getMessage());
            }
        }
    }

    /** Threads whose outbox has rows older than the sweep age. */
    @Transactional
    List<String> leftBehind() {
        return outbox.threadsWithRowsOlderThan(SWEEP_AGE_S);
    }
}
