package io.mainloop.contracts;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * What happens while the agent runs a turn (topic {@link Topics#AGENT_EVENTS}); the JSON
 * property {@code type} names the kind. Events of one turn are published in order, under the
 * thread id as key. A turn ends with exactly one {@link TurnCompleted} or {@link TurnFailed}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = AgentEvent.TurnStarted.class, name = "turn.started"),
        @JsonSubTypes.Type(value = AgentEvent.TextDelta.class, name = "text.delta"),
        @JsonSubTypes.Type(value = AgentEvent.TextBlock.class, name = "text.block"),
        @JsonSubTypes.Type(value = AgentEvent.ToolCall.class, name = "tool.call"),
        @JsonSubTypes.Type(value = AgentEvent.ToolResult.class, name = "tool.result"),
        @JsonSubTypes.Type(value = AgentEvent.TurnCompleted.class, name = "turn.completed"),
        @JsonSubTypes.Type(value = AgentEvent.TurnFailed.class, name = "turn.failed")
})
public sealed interface AgentEvent extends ThreadEvent {

    /** Current shape version of every agent event. */
    int SCHEMA_VERSION = 1;

    /** The turn this event belongs to. */
    UUID turnId();

    /**
     * The CLI process started for the turn.
     *
     * @param sessionId Claude Code's session id, when known
     * @param model the model the CLI reports, when known
     * @param kind why the turn runs (null from an older producer: CHAT); the web chat does not show
     *             a {@link TurnKind#HEARTBEAT} turn live (a silent {@code HEARTBEAT_OK} is never shown;
     *             another reply shows once stored)
     * @param warm whether a CLI started ahead of the turn ran it (true), or one started for it (false, a
     *             cold start); null when unknown (an older producer, or a re-attach after a restart)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TurnStarted(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID turnId,
                       String sessionId, String model, TurnKind kind, Boolean warm) implements AgentEvent {

        /** A turn started for the owner (kind CHAT), start unknown. */
        public TurnStarted(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID turnId,
                           String sessionId, String model) {
            this(eventId, occurredAt, schemaVersion, threadId, turnId, sessionId, model, TurnKind.CHAT, null);
        }
    }

    /**
     * A piece of the assistant's text, streamed as the model writes it.
     *
     * @param sequence position of this delta within the turn, from 0
     * @param text the new text
     * @param block which text block of the turn it belongs to, from 0 (a turn's text comes in
     *              several blocks when the assistant narrates, calls a tool, then goes on)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TextDelta(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID turnId,
                     int sequence, String text, int block) implements AgentEvent {
    }

    /**
     * A text block of the assistant's answer is complete (its deltas add up to {@code text}).
     *
     * @param block which text block of the turn, from 0
     * @param text the block's whole text
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TextBlock(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID turnId,
                     int block, String text) implements AgentEvent {
    }

    /**
     * The model called a tool.
     *
     * @param toolUseId the Messages API {@code tool_use} block id
     * @param name the tool's name, e.g. {@code Bash}
     * @param input the tool's input as the model wrote it
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ToolCall(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID turnId,
                    String toolUseId, String name, JsonNode input) implements AgentEvent {
    }

    /**
     * A tool returned.
     *
     * @param toolUseId the id of the {@link ToolCall} this answers
     * @param output the tool's output as text
     * @param isError whether the tool reported an error
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ToolResult(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID turnId,
                      String toolUseId, String output, boolean isError) implements AgentEvent {
    }

    /**
     * The turn finished with an answer.
     *
     * @param text the assistant's final message
     * @param usage token totals of the turn
     * @param costUsd the CLI's cost estimate in US dollars
     * @param durationMs wall time of the CLI run, ms
     * @param numTurns model round trips the CLI made
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TurnCompleted(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID turnId,
                         String text, Usage usage, BigDecimal costUsd, long durationMs, int numTurns)
            implements AgentEvent {
    }

    /**
     * The turn ended without an answer.
     *
     * @param reason why, as a stable code
     * @param message a human-readable explanation, shown in the thread (never a secret)
     * @param durationMs wall time until the failure, ms
     * @param traceId the OpenTelemetry trace of the turn (32 hex digits), which every service's log
     *                lines of the turn carry ({@code mdc.traceId}); null when unknown
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record TurnFailed(UUID eventId, Instant occurredAt, int schemaVersion, String threadId, UUID turnId,
                      FailureReason reason, String message, long durationMs, String traceId) implements AgentEvent {
    }

    /** Why a turn failed. */
    enum FailureReason {
        /** The Claude Code CLI is not installed or cannot be started. */
        CLI_MISSING,
        /** The CLI has no credentials. */
        NOT_LOGGED_IN,
        /** The Anthropic API answered with an error. */
        API_ERROR,
        /** The turn ran longer than the configured timeout. */
        TIMEOUT,
        /** The owner cancelled the turn. */
        CANCELLED,
        /** The CLI failed for another reason (its own error is in the message). */
        CLI_ERROR
    }
}
