package io.mainloop.agent.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.mainloop.contracts.AgentEvent;
import io.mainloop.contracts.AgentEvent.FailureReason;
import io.mainloop.contracts.EventIds;
import io.mainloop.contracts.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Maps the Claude Code CLI's {@code --output-format stream-json --verbose --include-partial-messages}
 * lines of ONE turn to agent events (shapes: {@code shared/reference/claude-code-headless.md}):
 * {@code stream_event} text deltas of the main agent to {@link AgentEvent.TextDelta} (numbered by
 * text block), {@code text} blocks of {@code assistant} lines to {@link AgentEvent.TextBlock},
 * {@code tool_use} blocks of {@code assistant} lines to {@link AgentEvent.ToolCall},
 * {@code tool_result} blocks of {@code user} lines to {@link AgentEvent.ToolResult}, and the final
 * {@code result} line to {@link AgentEvent.TurnCompleted} or, when {@code is_error} is true,
 * {@link AgentEvent.TurnFailed}. Event ids are deterministic: the n-th event of a turn always gets
 * the same id, and its final event the turn's one end id ({@link #endId}), so re-reading a turn's
 * output after a restart of agent-service publishes duplicates that consumers drop. Not
 * thread-safe: one instance per turn.
 */
public final class StreamJsonMapper {

    private final String threadId;
    private final UUID turnId;
    private int sequence;
    private int count;
    private int streamingBlock = -1;
    private int completedBlocks;
    private AgentEvent terminal;

    /**
     * Whether {@code line} answers one of the control protocol's requests (a warm CLI's at start,
     * {@code WarmPool}): no event of the turn, and tens of KB, so told by its start (the CLI writes
     * {@code type} first) without parsing it.
     */
    public static boolean isControlResponse(String line) {
        return line.startsWith("{\"type\":\"control_response\"");
    }

    public StreamJsonMapper(String threadId, UUID turnId) {
        this.threadId = threadId;
        this.turnId = turnId;
    }

    /** The events one line yields (often none). */
    public List<AgentEvent> map(JsonNode line) {
        List<AgentEvent> out = new ArrayList<>();
        switch (line.path("type").asText()) {
            case "stream_event" -> {
                JsonNode event = line.path("event");
                JsonNode delta = event.path("delta");
                boolean main = line.path("parent_tool_use_id").isNull();
                if (main && "content_block_start".equals(event.path("type").asText())
                        && "text".equals(event.path("content_block").path("type").asText())) {
                    streamingBlock = Math.max(streamingBlock + 1, completedBlocks);
                }
                if (main && "content_block_delta".equals(event.path("type").asText())
                        && "text_delta".equals(delta.path("type").asText())) {
                    out.add(new AgentEvent.TextDelta(id(), now(), AgentEvent.SCHEMA_VERSION, threadId, turnId, sequence++,
                            delta.path("text").asText(), Math.max(streamingBlock, 0)));
                }
            }
            case "assistant" -> {
                boolean main = line.path("parent_tool_use_id").isNull();
                for (JsonNode block : line.path("message").path("content")) {
                    if (main && "text".equals(block.path("type").asText()) && !block.path("text").asText().isBlank()) {
                        out.add(new AgentEvent.TextBlock(id(), now(), AgentEvent.SCHEMA_VERSION, threadId, turnId,
                                completedBlocks++, block.path("text").asText()));
                    }
                    if ("tool_use".equals(block.path("type").asText())) {
                        out.add(new AgentEvent.ToolCall(id(), now(), AgentEvent.SCHEMA_VERSION, threadId, turnId,
                                block.path("id").asText(), block.path("name").asText(), block.path("input")));
                    }
                }
            }
            case "user" -> {
                for (JsonNode block : line.path("message").path("content")) {
                    if ("tool_result".equals(block.path("type").asText())) {
                        out.add(new AgentEvent.ToolResult(id(), now(), AgentEvent.SCHEMA_VERSION, threadId, turnId,
                                block.path("tool_use_id").asText(), text(block.path("content")),
                                block.path("is_error").asBoolean(false)));
                    }
                }
            }
            case "result" -> {
                terminal = line.path("is_error").asBoolean(false) ? failed(line) : completed(line);
                out.add(terminal);
            }
            default -> {
                // system/init, status, rate limits: nothing for the thread
            }
        }
        return out;
    }

    /** The {@code result} line's event, or null if none was seen yet. */
    public AgentEvent terminal() {
        return terminal;
    }

    private AgentEvent.TurnCompleted completed(JsonNode result) {
        JsonNode usage = result.path("usage");
        return new AgentEvent.TurnCompleted(endId(turnId), now(), AgentEvent.SCHEMA_VERSION, threadId, turnId,
                result.path("result").asText(""),
                new Usage(usage.path("input_tokens").asLong(), usage.path("output_tokens").asLong(),
                        usage.path("cache_read_input_tokens").asLong(), usage.path("cache_creation_input_tokens").asLong()),
                result.hasNonNull("total_cost_usd") ? new BigDecimal(result.path("total_cost_usd").asText()) : null,
                result.path("duration_ms").asLong(), result.path("num_turns").asInt());
    }

    private AgentEvent.TurnFailed failed(JsonNode result) {
        String message = result.path("result").asText("").strip();
        if (message.isEmpty()) {
            message = "Claude Code ended with " + result.path("subtype").asText("an error");
        }
        return new AgentEvent.TurnFailed(endId(turnId), now(), AgentEvent.SCHEMA_VERSION, threadId, turnId,
                classify(result, message), SecretRedactor.redact(message), result.path("duration_ms").asLong(),
                TraceIds.current());
    }

    /** Why the CLI failed, judged from its {@code result} line and its message. */
    public static FailureReason classify(JsonNode result, String message) {
        int status = result.path("api_error_status").asInt(0);
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        if (status == 401 || status == 403 || lower.contains("/login") || lower.contains("invalid api key")
                || lower.contains("not logged in") || lower.contains("authentication")) {
            return FailureReason.NOT_LOGGED_IN;
        }
        if ("api_error".equals(result.path("terminal_reason").asText()) || status >= 400 || lower.startsWith("api error")) {
            return FailureReason.API_ERROR;
        }
        return FailureReason.CLI_ERROR;
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode block : content) {
            out.append(block.path("text").asText(""));
        }
        return out.toString();
    }

    private UUID id() {
        return EventIds.named("agent-event", turnId, count++);
    }

    /** The id of a turn's final event ({@code turn.completed} or {@code turn.failed}): one per turn. */
    public static UUID endId(UUID turnId) {
        return EventIds.named("turn-end", turnId);
    }

    /** The id of a turn's {@code turn.started}: one per turn, however often it is re-attached. */
    public static UUID startedId(UUID turnId) {
        return EventIds.named("turn-started", turnId);
    }

    private static Instant now() {
        return Instant.now();
    }
}
