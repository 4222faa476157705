package io.mainloop.memory.messaging;

import io.mainloop.contracts.MessageAccepted;
import io.mainloop.memory.search.ContextRetriever;
import io.mainloop.memory.service.ConversationService;
import io.mainloop.memory.service.StoredText;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code mainloop.conversation.inbound}: stores each accepted user message once, then
 * publishes the outbox. A record that cannot be processed (database unreachable, publish
 * timeout) is retried in place with exponential backoff (0.5 s up to 10 s) for as long as it
 * takes, keeping the thread's order; only unreadable records go to the dead-letter topic.
 */
@ApplicationScoped
public class InboundMessageConsumer {

    @Inject
    ConversationService conversation;

    @Inject
    OutboxRelay relay;

    @Inject
    DelayNotices delays;

    @Inject
    ContextRetriever retriever;

    /**
     * Stores the message (committed with its outbox rows), then publishes them; acked after both.
     * The search query of the turn it likely starts is embedded meanwhile ({@link ContextRetriever#prefetch}).
     */
    @Incoming("conversation-inbound")
    @Blocking
    @Retry(maxRetries = -1, maxDuration = 0, delay = 500, jitter = 200)
    @ExponentialBackoff(maxDelay = 10, maxDelayUnit = ChronoUnit.SECONDS)
    public void onMessageAccepted(MessageAccepted accepted) {
        try {
            retriever.prefetch(StoredText.clean(accepted.text()));
            relay.publishPending(conversation.accept(accepted));
            delays.succeeded(accepted.eventId());
        } catch (RuntimeException e) {
            delays.failed(accepted.eventId(), accepted.threadId(), e);
            throw e;
        }
    }
}
