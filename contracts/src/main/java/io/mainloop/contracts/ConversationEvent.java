package io.mainloop.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What memory-service tells the edge about the thread (topic {@link Topics#CONVERSATION_EVENTS});
 * the JSON property {@code type} names the kind.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = ConversationEvent.MessageStored.class, name = "message.stored"),
        @JsonSubTypes.Type(value = ConversationEvent.ThreadNotice.class, name = "thread.notice")})
public sealed interface ConversationEvent extends ThreadEvent {

    /**
     * Current shape version of every conversation event. 2: {@code toolCalls[].input} is the
     * tool's input as a JSON object (it was a string holding JSON in 1), and {@code blocks} holds
     * the answer's text blocks and tool calls in order.
     */
    int SCHEMA_VERSION = 2;

    /**
     * A message was stored for good; published once per message (a redelivered event that is
     * deduplicated publishes nothing new).
     *
     * @param messageId the stored message's id
     * @param role who wrote it
     * @param text its text
     * @param createdAt when it was stored, UTC
     * @param turnId for assistant messages: the turn that produced it; else null
     * @param usage for assistant messages: token totals; else null
     * @param costUsd for assistant messages: cost in US dollars; else null
     * @param durationMs for assistant messages: CLI wall time, ms; else null
     * @param toolCalls for assistant messages: the tools it ran, in order; else empty
     * @param blocks for assistant messages: what the owner saw live, in order (text blocks and
     *               tool calls); else empty
     * @param turnKind for the entry that starts a scheduled turn and for assistant messages: why
     *                 the turn ran (the web chat shows a clock for {@link TurnKind#SCHEDULED}); else null
     * @param proactive true for an assistant message the owner did not just ask for (a heartbeat's
     *                  or a schedule's): it is pushed to the owner's devices
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MessageStored(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID messageId,
                         Role role, String text, Instant createdAt, UUID turnId, Usage usage, BigDecimal costUsd,
                         Long durationMs, List<ToolInvocation> toolCalls, List<ContentBlock> blocks,
                         TurnKind turnKind, boolean proactive)
            implements ConversationEvent {
        public MessageStored {
            toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
            blocks = blocks == null ? List.of() : List.copyOf(blocks);
        }

        /** An ordinary message (no turn kind, not proactive). */
        public MessageStored(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID messageId,
                             Role role, String text, Instant createdAt, UUID turnId, Usage usage, BigDecimal costUsd,
                             Long durationMs, List<ToolInvocation> toolCalls, List<ContentBlock> blocks) {
            this(eventId, occurredAt, schemaVersion, threadId, messageId, role, text, createdAt, turnId, usage, costUsd,
                    durationMs, toolCalls, blocks, null, false);
        }
    }

    /**
     * One part of an assistant message, in the order the owner saw it live: a text block
     * ({@code type=text}: {@code text}) or a tool call ({@code type=tool}: {@code toolUseId},
     * {@code name}, {@code input}, {@code output}, {@code isError}).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record ContentBlock(String type, String text, String toolUseId, String name,
                        com.fasterxml.jackson.databind.JsonNode input, String output, Boolean isError) {

        /** A text block. */
        public static ContentBlock text(String text) {
            return new ContentBlock("text", text, null, null, null, null, null);
        }

        /** A tool call and, once it returned, its output. */
        public static ContentBlock tool(ToolInvocation call) {
            return new ContentBlock("tool", null, call.toolUseId(), call.name(), call.input(), call.output(),
                    call.isError());
        }
    }

    /**
     * A passing condition the owner should know about, shown live and not stored: for example a
     * message whose storing is delayed because the database is unreachable (it is retried, never
     * dropped). A later notice with the same {@code key} and {@code resolved=true} clears it.
     *
     * @param key what the notice is about (e.g. {@code storage-delayed}); one open notice per key
     * @param text what to show the owner
     * @param resolved true when the condition has passed
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ThreadNotice(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, String key, String text,
                        boolean resolved) implements ConversationEvent {
    }

    /**
     * One tool the assistant ran during a turn, for the verbose view.
     *
     * @param toolUseId the Messages API {@code tool_use} id
     * @param name the tool's name
     * @param input the input, a JSON object as the model wrote it
     * @param output the output as text, or null if it never returned
     * @param isError whether the tool reported an error
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ToolInvocation(String toolUseId, String name, com.fasterxml.jackson.databind.JsonNode input, String output,
                          boolean isError) {
    }
}
