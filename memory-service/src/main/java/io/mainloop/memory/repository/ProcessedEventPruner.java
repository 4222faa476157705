package io.mainloop.memory.repository;

import io.mainloop.memory.config.MemoryConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** Deletes idempotency-ledger rows older than {@code mainloop.memory.processed-event-retention}, hourly. */
@ApplicationScoped
public class ProcessedEventPruner {

    @Inject
    ProcessedEventRepository processedEvents;

    @Inject
    MemoryConfig config;

    /** Deletes the expired rows. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void prune() {
        processedEvents.delete("processedAt < ?1", Instant.now().minus(config.processedEventRetention()));
    }
}
