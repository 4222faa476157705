package io.mainloop.agent.messaging;

import io.mainloop.agent.service.TurnExecution;
import io.mainloop.contracts.TurnRequested;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code mainloop.agent.turns}: runs each turn once ({@link TurnExecution}); the turns of
 * one thread (the record key) one at a time and in order, those of different threads side by side
 * (at most {@code mainloop.agent.max-concurrent-turns}, default 4: the connector's
 * {@code throttled.ordered=key}). The record is acknowledged only after the turn's final event is
 * out; a turn interrupted by a crash or a shutdown is re-attached after the restart.
 */
@ApplicationScoped
public class TurnConsumer {

    @Inject
    TurnExecution execution;

    @Incoming("agent-turns")
    @Blocking(ordered = false)
    public CompletionStage<Void> onTurn(Message<TurnRequested> message) {
        boolean done;
        try {
            done = execution.process(message.getPayload());
        } catch (TurnExecution.ShuttingDown stopping) {
            done = false;
        }
        return done ? message.ack() : CompletableFuture.completedFuture(null); // not acknowledged: runs again
    }
}
