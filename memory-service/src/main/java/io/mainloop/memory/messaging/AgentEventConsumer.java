package io.mainloop.memory.messaging;

import io.mainloop.contracts.AgentEvent;
import io.mainloop.memory.service.ConversationService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mainloop.agent.events}: stores replies, failures and tool calls, then publishes
 * the outbox. Processing failures are retried in place (see {@link InboundMessageConsumer}).
 */
@ApplicationScoped
public class AgentEventConsumer {

    @Inject
    ConversationService conversation;

    @Inject
    OutboxRelay relay;

    @Inject
    DelayNotices delays;

    /** Records the event (committed with its outbox rows), then publishes them; acked after both. */
    @Incoming("agent-events")
    @Blocking
    @Retry(maxRetries = -1, maxDuration = 0, delay = 500, jitter = 200)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public void onAgentEvent(AgentEvent event) {
        if (event instanceof AgentEvent.TextDelta || event instanceof AgentEvent.TurnStarted) {
            return; // nothing to store: the gateway streams these
        }
        try {
            relay.publishPending(conversation.onAgentEvent(event));
            delays.succeeded(event.eventId());
        } catch (RuntimeException e) {
            delays.failed(event.eventId(), event.threadId(), e);
            throw e;
        }
    }
}
