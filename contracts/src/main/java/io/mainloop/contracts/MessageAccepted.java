package io.mainloop.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * A user's message accepted by the gateway (topic {@link Topics#CONVERSATION_INBOUND}).
 *
 * @param messageId the id the message will be stored under; derived from the client message id
 *     so that a retried POST yields the same id
 * @param clientMessageId the id the client chose for idempotent retries
 * @param text the message text, UTF-8, at most 32 KiB
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MessageAccepted(
        UUID eventId,
        Instant occurredAt,
        int schemaVersion,
        String threadId,
        UUID messageId,
        String clientMessageId,
        String text) implements ThreadEvent {

    /** Current shape version. */
    public static final int SCHEMA_VERSION = 1;

    /** A new event with a fresh id, stamped now. */
    public static MessageAccepted of(String threadId, UUID messageId, String clientMessageId, String text) {
        return new MessageAccepted(UUID.randomUUID(), Instant.now(), SCHEMA_VERSION, threadId, messageId,
                clientMessageId, text);
    }
}
