package io.mainloop.agent.summary;

import static io.mainloop.support.kafka.ThreadKeys.keyed;

import io.mainloop.agent.service.RunningTurns;
import io.mainloop.contracts.SummaryResult;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes summary answers on {@code mainloop.agent.summary-results}, keyed by thread id, and
 * waits for Kafka's acknowledgement. A failed publish is retried with exponential backoff from
 * 0.5 s up to 10 s for as long as it takes (the answer is never run again for it), until this
 * service stops.
 */
@ApplicationScoped
public class SummaryResultPublisher {

    private static final Logger LOG = Logger.getLogger(SummaryResultPublisher.class);

    @Inject
    @Channel("agent-summary-results")
    MutinyEmitter<SummaryResult> emitter;

    @Inject
    RunningTurns running;

    /**
     * Sends {@code result} and waits until Kafka has it.
     *
     * @throws ShuttingDown if this service stops before it went out
     */
    @Retry(maxRetries = -1, maxDuration = 0, delay = 500, jitter = 200, abortOn = ShuttingDown.class)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public void publish(SummaryResult result) {
        if (running.stopping()) {
            throw new ShuttingDown();
        }
        try {
            emitter.sendMessageAndAwait(keyed(result));
        } catch (RuntimeException e) {
            if (running.stopping()) {
                throw new ShuttingDown();
            }
            LOG.warnf("summary %s: its answer could not be published (%s); retrying", result.summaryId(), e.toString());
            throw e;
        }
    }

    /** Ends the retries: the service stops, the request stays unacknowledged. */
    public static final class ShuttingDown extends RuntimeException {
        ShuttingDown() {
            super("agent-service is shutting down", null, false, false);
        }
    }
}
