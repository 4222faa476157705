package io.mainloop.memory.messaging;

import io.mainloop.contracts.SummaryResult;
import io.mainloop.memory.compaction.CompactionService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mainloop.agent.summary-results}: stores a written summary (or notes a failure),
 * and requests what became due (a week whose days are now all summarized). Processing failures
 * are retried in place; only unreadable records go to the dead-letter topic.
 */
@ApplicationScoped
public class SummaryResultConsumer {

    @Inject
    CompactionService compaction;

    @Inject
    OutboxRelay relay;

    /** Records the answer (committed with its memories and the requests it makes due), then publishes them. */
    @Incoming("summary-results")
    @Blocking
    @Retry(maxRetries = -1, maxDuration = 0, delay = 500, jitter = 200)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public void onResult(SummaryResult result) {
        relay.publishPending(compaction.onResult(result));
    }
}
