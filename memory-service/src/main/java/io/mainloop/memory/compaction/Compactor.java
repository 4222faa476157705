package io.mainloop.memory.compaction;

import io.mainloop.contracts.Granularity;
import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.messaging.OutboxRelay;
import io.mainloop.memory.repository.ThreadStateRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs compaction for a thread: days first, then weeks, then months, then retries; publishes the
 * requests. Triggered by a {@code CompactionRequested} event, by a summary's arrival (its week or
 * month may now be due), and on its own at start-up (a full scan of the history) and every
 * {@code mainloop.memory.compaction.check} (from a week before the latest daily summary), so a period that ended while
 * memory-service was down is caught up on.
 */
@ApplicationScoped
public class Compactor {

    private static final Logger LOG = Logger.getLogger(Compactor.class);

    @Inject
    CompactionService compaction;

    @Inject
    OutboxRelay relay;

    @Inject
    ThreadStateRepository threads;

    @Inject
    MemoryConfig config;

    private final AtomicBoolean scannedOnce = new AtomicBoolean();

    /**
     * Requests every due summary of {@code threadId} and publishes the requests.
     *
     * @param fullScan look at the whole history, not only since a week before the latest daily summary
     * @return how many requests were sent
     * @throws RuntimeException if the database or Kafka fails (what was claimed is asked for again later)
     */
    public int catchUp(String threadId, boolean fullScan) {
        if (!config.compaction().enabled()) {
            return 0;
        }
        int sent = 0;
        for (Granularity g : List.of(Granularity.DAILY, Granularity.WEEKLY, Granularity.MONTHLY)) {
            sent += compaction.requestDue(threadId, g, fullScan);
        }
        sent += compaction.retryDue(threadId);
        if (sent > 0) {
            relay.publishPending(threadId);
        }
        return sent;
    }

    /** Every thread, on a clock: a full scan the first time after start-up. */
    @Scheduled(every = "${mainloop.memory.compaction.check:5m}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkAll() {
        boolean full = !scannedOnce.get();
        try {
            for (String thread : threads.allThreads()) {
                catchUp(thread, full);
            }
            scannedOnce.set(true);
        } catch (RuntimeException e) {
            LOG.warnf("compaction check failed (tried again in a while): %s", e.getMessage());
        }
    }
}
