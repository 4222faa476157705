package io.mainloop.agent.summary;

import io.mainloop.agent.service.RunningTurns;
import io.mainloop.contracts.SummaryRequested;
import io.mainloop.contracts.SummaryResult;
import io.mainloop.contracts.Topics;
import io.mainloop.support.ledger.ProcessedEventRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * One summary request, answered: the CLI writes it ({@link SummaryRunner}), the answer is
 * published ({@link SummaryResultPublisher}, retried until Kafka has it), and the request's event
 * id is recorded in the {@code processed_event} ledger, so the same record delivered again is
 * not run twice. The ledger is best effort: while the database is unreachable a request simply
 * runs again, which memory-service tolerates (it keeps the first answer of a summary).
 */
@ApplicationScoped
public class SummaryExecution {

    private static final Logger LOG = Logger.getLogger(SummaryExecution.class);

    @Inject
    SummaryRunner runner;

    @Inject
    SummaryResultPublisher publisher;

    @Inject
    ProcessedEventRepository processedEvents;

    @Inject
    RunningTurns running;

    /**
     * Answers {@code request}.
     *
     * @return true when its answer is out, or was before (acknowledge the record); false when this
     *     service is shutting down (leave it unacknowledged: it runs again after the restart)
     */
    public boolean process(SummaryRequested request) {
        if (running.stopping()) {
            return false;
        }
        if (answeredBefore(request)) {
            LOG.infof("summary %s attempt %d: answered before; redelivery skipped", request.summaryId(),
                    request.attempt());
            return true;
        }
        SummaryResult result;
        try {
            result = runner.run(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (running.stopping()) {
            return false; // its CLI was stopped with the service: not an answer
        }
        try {
            publisher.publish(result);
        } catch (SummaryResultPublisher.ShuttingDown stopping) {
            return false;
        }
        LOG.infof("summary %s (thread %s, %s %s, attempt %d): %s", request.summaryId(), request.threadId(),
                request.granularity(), request.periodStart(), request.attempt(),
                result instanceof SummaryResult.SummaryFailed failed ? "failed, " + failed.reason() : "completed");
        if (result instanceof SummaryResult.SummaryCompleted) {
            runner.cleanUp(request);
        }
        remember(request);
        return true;
    }

    private boolean answeredBefore(SummaryRequested request) {
        try {
            return QuarkusTransaction.requiringNew().call(
                    () -> processedEvents.findByIdOptional(request.eventId()).isPresent());
        } catch (RuntimeException e) {
            LOG.debugf("summary %s: the ledger could not be read (%s); running it", request.summaryId(), e.toString());
            return false;
        }
    }

    private void remember(SummaryRequested request) {
        try {
            QuarkusTransaction.requiringNew().run(
                    () -> processedEvents.markProcessed(request.eventId(), Topics.AGENT_SUMMARIES));
        } catch (RuntimeException e) {
            LOG.warnf("summary %s: answered, but not recorded in the ledger (%s); a redelivery would run it again",
                    request.summaryId(), e.toString());
        }
    }
}
