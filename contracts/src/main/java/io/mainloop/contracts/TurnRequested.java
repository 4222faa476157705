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
 * @param kind why the turn runs; null (an older producer) is {@link TurnKind#CHAT}
 * @param model the CLI's {@code --model} for this turn (e.g. {@code haiku} for a heartbeat), or null for the default
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
        int contextTokens,
        TurnKind kind,
        String model) implements ThreadEvent {

    /** Current shape version. */
    public static final int SCHEMA_VERSION = 1;

    public TurnRequested {
        replyTo = replyTo == null ? List.of() : List.copyOf(replyTo);
        context = context == null ? List.of() : List.copyOf(context);
        kind = kind == null ? TurnKind.CHAT : kind;
    }

    /** A {@link TurnKind#CHAT} turn on the default model. */
    public TurnRequested(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID turnId,
                         List<UUID> replyTo, String prompt, String systemPrompt, List<ContextMessage> context,
                         int contextTokens) {
        this(eventId, occurredAt, schemaVersion, threadId, turnId, replyTo, prompt, systemPrompt, context, contextTokens,
                TurnKind.CHAT, null);
    }
}
