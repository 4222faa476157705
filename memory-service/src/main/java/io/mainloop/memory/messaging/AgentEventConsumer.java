package io.mainloop.memory.messaging;

import io.mainloop.contracts.AgentEvent;
import io.mainloop.memory.service.ConversationService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code mainloop.agent.events}: stores replies, failures and tool calls. */
@ApplicationScoped
public class AgentEventConsumer {

    @Inject
    ConversationService conversation;

    @Inject
    EventPublisher publisher;

    /** Records the event (committed), then publishes what follows; the record is acked after both. */
    @Incoming("agent-events")
    @Blocking
    public void onAgentEvent(AgentEvent event) {
        if (event instanceof AgentEvent.TextDelta || event instanceof AgentEvent.TurnStarted) {
            return; // nothing to store: the gateway streams these
        }
        publisher.publish(conversation.onAgentEvent(event));
    }
}
