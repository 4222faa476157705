package io.mainloop.memory.messaging;

import io.mainloop.contracts.MessageAccepted;
import io.mainloop.memory.service.ConversationService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code mainloop.conversation.inbound}: stores each accepted user message once. */
@ApplicationScoped
public class InboundMessageConsumer {

    @Inject
    ConversationService conversation;

    @Inject
    EventPublisher publisher;

    /** Stores the message (committed), then publishes what follows; the record is acked after both. */
    @Incoming("conversation-inbound")
    @Blocking
    public void onMessageAccepted(MessageAccepted accepted) {
        publisher.publish(conversation.accept(accepted));
    }
}
