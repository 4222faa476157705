package io.mainloop.agent.summary;

import io.mainloop.contracts.SummaryRequested;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code mainloop.agent.summaries} (consumer group {@code agent-service}): writes each
 * requested summary with the CLI and answers on {@code mainloop.agent.summary-results}
 * ({@link SummaryExecution}). Summaries run side by side, in any order, at most
 * {@code mainloop.agent.max-concurrent-summaries} (default 2) at once: the worker pool
 * {@code summaries}. A record is acknowledged once its answer is out; one left unanswered by a
 * shutdown runs again after the restart.
 */
@ApplicationScoped
public class SummaryConsumer {

    @Inject
    SummaryExecution execution;

    @Incoming("agent-summaries")
    @Blocking(value = "summaries", ordered = false)
    public CompletionStage<Void> onSummary(Message<SummaryRequested> message) {
        boolean done = execution.process(message.getPayload());
        return done ? message.ack() : CompletableFuture.completedFuture(null); // not acknowledged: runs again
    }
}
