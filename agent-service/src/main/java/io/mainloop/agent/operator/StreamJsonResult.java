package io.mainloop.agent.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.contracts.Usage;
import java.math.BigDecimal;

/**
 * The final {@code {"type":"result",...}} line of the CLI's stream-json output (its only totals:
 * {@code result}, {@code is_error}, {@code total_cost_usd}, {@code duration_ms}, {@code usage};
 * shared/reference/claude-code-headless.md).
 *
 * @param text the final text
 * @param isError whether the CLI reports the run failed ({@code is_error}, e.g. max turns or budget)
 * @param subtype {@code success}, {@code error_max_turns}, ...
 * @param costUsd {@code total_cost_usd}, USD, or null
 * @param durationMs {@code duration_ms}, or 0
 * @param usage the token counts
 */
public record StreamJsonResult(String text, boolean isError, String subtype, BigDecimal costUsd, long durationMs,
                               Usage usage) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The last result line in {@code log} (a pod's log: stream-json lines), or null if there is none. */
    public static StreamJsonResult parse(String log) {
        if (log == null) {
            return null;
        }
        String[] lines = log.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (!line.startsWith("{") || !line.contains("\"result\"")) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                if (!"result".equals(node.path("type").asText())) {
                    continue;
                }
                JsonNode u = node.path("usage");
                Usage usage = new Usage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
                        u.path("cache_read_input_tokens").asLong(), u.path("cache_creation_input_tokens").asLong());
                JsonNode cost = node.get("total_cost_usd");
                return new StreamJsonResult(node.path("result").isTextual() ? node.path("result").asText() : null,
                        node.path("is_error").asBoolean(false), node.path("subtype").asText(null),
                        cost != null && cost.isNumber() ? cost.decimalValue() : null,
                        node.path("duration_ms").asLong(0), usage);
            } catch (Exception e) {
                // not JSON (a stray line): look further up
            }
        }
        return null;
    }

    /** The name the CLI gives the {@code ask_owner} tool of the MCP server {@code tasks}. */
    static final String ASK_OWNER = "mcp__tasks__ask_owner";

    /**
     * The question of the last {@code ask_owner} call in {@code log} whose tool result was not an
     * error (a {@code tool_use} block in an {@code assistant} line, answered by a {@code tool_result}
     * with the same id in a {@code user} line), or null if the run asked nothing.
     */
    public static String question(String log) {
        if (log == null) {
            return null;
        }
        java.util.Map<String, String> asked = new java.util.HashMap<>();
        String question = null;
        for (String raw : log.split("\n")) {
            String line = raw.strip();
            if (!line.startsWith("{") || !(line.contains(ASK_OWNER) || line.contains("tool_result"))) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                for (JsonNode block : node.path("message").path("content")) {
                    String type = block.path("type").asText();
                    if ("tool_use".equals(type) && ASK_OWNER.equals(block.path("name").asText())) {
                        asked.put(block.path("id").asText(), block.path("input").path("question").asText(null));
                    } else if ("tool_result".equals(type) && asked.containsKey(block.path("tool_use_id").asText())) {
                        String q = asked.remove(block.path("tool_use_id").asText());
                        if (!block.path("is_error").asBoolean(false) && q != null && !q.isBlank()) {
                            question = q.strip();
                        }
                    }
                }
            } catch (Exception e) {
                // not JSON: skip
            }
        }
        return question;
    }
}
