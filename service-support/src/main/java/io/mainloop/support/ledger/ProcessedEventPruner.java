package io.mainloop.support.ledger;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Deletes ledger rows older than {@code mainloop.ledger.retention} (default 7 days, the dedupe
 * window), hourly.
 *
 * <p>A bean only where the build sets {@code mainloop.ledger.prune=true}: a service that consumes
 * records (and so has the {@code processed_event} table and {@code quarkus-scheduler}) turns it
 * on in its application.properties and sets its own retention. Everywhere else the class is
 * excluded at build time, so it neither runs nor needs the scheduler (gateway-service has a
 * datasource but no ledger table; scheduler-service consumes no records).
 */
@ApplicationScoped
@IfBuildProperty(name = "mainloop.ledger.prune", stringValue = "true")
public class ProcessedEventPruner {

    @Inject
    ProcessedEventRepository ledger;

    @ConfigProperty(name = "mainloop.ledger.retention", defaultValue = "7d")
    Duration retention;

    /** Deletes the rows processed longer than the retention ago, in its own transaction (or the caller's). */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    public void prune() {
        ledger.deleteOlderThan(Instant.now().minus(retention));
    }
}
