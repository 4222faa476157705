package io.mainloop.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A turn for the agent to run (topic {@link Topics#AGENT_TURNS}), published by memory-service
 * once the user's message is stored.
 *
 * @param turnId the turn's id; agent events of this turn carry it
 * @param replyTo the stored user message(s) this turn answers, oldest first
 * @param prompt the text handed to the model as the user's prompt
 * @param systemPrompt instructions appended to Claude Code's own system prompt
 * @param context earlier messages of the thread that fit the token budget, oldest first
 * @param contextTokens estimated size of {@code systemPrompt} plus {@code context}, in tokens
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TurnRequested(
        UUID eventId,
        Instant occurredAt,
        int schemaVersion,
        String threadId,
        UUID turnId,
        List<UUID> replyTo,
        String prompt,
        String systemPrompt,
        List<ContextMessage> context,
        int contextTokens) implements ThreadEvent {

    /** Current shape version. */
    public static final int SCHEMA_VERSION = 1;

    public TurnRequested {
        replyTo = replyTo == null ? List.of() : List.copyOf(replyTo);
        context = context == null ? List.of() : List.copyOf(context);
    }
}
