package io.mainloop.devstack.standin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides the stand-in's reply from a request when no reply was queued. The owner (or a test)
 * steers it with directives in the latest user message (outside its {@code <context>} block):
 * <ul>
 *   <li>{@code [[reply:TEXT]]} answers TEXT;</li>
 *   <li>{@code [[tool:Bash:COMMAND]]} calls the Bash tool with COMMAND ({@code [[tool:Read:PATH]]}
 *       the Read tool with PATH), then reports its output; {@code [[tool:NAME:{JSON}]]} calls any
 *       tool (e.g. {@code mcp__memory__remember}) with that JSON object as its input, the directive
 *       ending at the first <code>}]]</code>;
 *       with {@code [[say:TEXT]]} too, it first says TEXT (a text block before the tool call);</li>
 *   <li>{@code [[error:STATUS]]} answers HTTP STATUS with an Anthropic error body;</li>
 *   <li>{@code [[slow:MS]]} streams the reply in small pieces MS milliseconds apart.</li>
 * </ul>
 * Without a directive it echoes the message, saying it is the demo stand-in, not Claude.
 *
 * <p>A summary request (its system prompt contains {@value #SUMMARIZE_MARKER}) obeys none of
 * these: it is answered deterministically from the material (the last user message), see
 * {@link #summarize(String)}; only {@code [[fail-summary-once:KEY]]} in the material is honoured:
 * the first summary request containing KEY gets HTTP 529 (overloaded), every later one a summary.
 */
public final class ReplyScript {

    private static final Pattern REPLY = Pattern.compile("\\[\\[reply:(.+?)]]", Pattern.DOTALL);
    /** A JSON input ends at the first <code>}]]</code>; any other argument at the first {@code ]]}. */
    private static final Pattern TOOL = Pattern.compile("\\[\\[tool:(\\w+):(\\{.*?}(?=]])|.+?)]]", Pattern.DOTALL);
    private static final Pattern ERROR = Pattern.compile("\\[\\[error:(\\d{3})]]");
    private static final Pattern SLOW = Pattern.compile("\\[\\[slow:(\\d+)]]");
    private static final Pattern SAY = Pattern.compile("\\[\\[say:(.+?)]]", Pattern.DOTALL);
    private static final Pattern FAIL_SUMMARY_ONCE = Pattern.compile("\\[\\[fail-summary-once:([^\\]\\s]+)]]");
    private static final Pattern CONTEXT_BLOCK = Pattern.compile("<context>.*?</context>", Pattern.DOTALL);
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?](?=\\s|$)");
    private static final List<String> TAGS = List.of("[decision]", "[insight]", "[handoff]", "[fact]", "[preference]");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The marker in a system prompt that makes a request a summary request. */
    public static final String SUMMARIZE_MARKER = "mainloop:summarize";

    private ReplyScript() {
    }

    /**
     * The reply to a Messages API request body.
     *
     * @param failedSummaryKeys the {@code fail-summary-once} keys already answered with an error
     *     (the stand-in's memory, shared by all its requests; this method adds to it)
     */
    public static ScriptedReply replyTo(JsonNode request, Set<String> failedSummaryKeys) {
        JsonNode last = lastMessage(request);
        if (systemText(request).contains(SUMMARIZE_MARKER)) {
            return summaryReply(userText(last), failedSummaryKeys);
        }
        String toolOutput = toolResultText(last);
        if (toolOutput != null) {
            return new ScriptedReply.Text("The tool said: " + toolOutput.strip());
        }
        String text = userText(last);
        Matcher m;
        if ((m = ERROR.matcher(text)).find()) {
            int status = Integer.parseInt(m.group(1));
            return new ScriptedReply.HttpError(status, errorType(status), "stand-in error " + status);
        }
        if ((m = TOOL.matcher(text)).find()) {
            // [[tool:mcp__memory__remember:{"kind":"DECISION","text":"..."}]]: the JSON is the input
            Map<String, Object> input = jsonInput(m.group(2));
            if (input == null) {
                input = new LinkedHashMap<>();
                if ("Read".equals(m.group(1))) {
                    input.put("file_path", m.group(2)); // [[tool:Read:/a/file]]
                } else {
                    input.put("command", m.group(2));
                    input.put("description", "Run " + m.group(2));
                }
            }
            Matcher say = SAY.matcher(text);
            return new ScriptedReply.ToolUse(m.group(1), input, say.find() ? say.group(1) : null);
        }
        long delay = (m = SLOW.matcher(text)).find() ? Long.parseLong(m.group(1)) : 0;
        String reply = (m = REPLY.matcher(text)).find() ? m.group(1)
                : "Demo mode (mainloop's stand-in API, not Claude). You said: " + strip(text);
        return new ScriptedReply.Text(reply, delay > 0 ? 4 : 12, delay);
    }

    /** The tool input written as a JSON object, or null if {@code arg} is not one. */
    private static Map<String, Object> jsonInput(String arg) {
        if (!arg.startsWith("{")) {
            return null;
        }
        try {
            return JSON.readValue(arg, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    private static ScriptedReply summaryReply(String material, Set<String> failedSummaryKeys) {
        Matcher fail = FAIL_SUMMARY_ONCE.matcher(material);
        boolean failNow = false;
        while (fail.find()) {
            failNow |= failedSummaryKeys.add(fail.group(1));
        }
        if (failNow) {
            return new ScriptedReply.HttpError(529, errorType(529), "stand-in overloaded (fail-summary-once)");
        }
        return new ScriptedReply.Text(summarize(material));
    }

    /**
     * The stand-in's summary of {@code material}: {@code Summary (stand-in) of N entries.}, then
     * for each entry (a {@code --- ...} line and the text up to the next one; the whole material
     * is one entry when it has no such line) the first sentence of its text as a bullet
     * {@code - ...}, then every tagged line of the material ({@code [decision]}, {@code [insight]},
     * {@code [handoff]}, {@code [fact]}, {@code [preference]}, any case, at the start of the
     * trimmed line) once, in order of first appearance. Tagged lines are left out of the
     * sentences; an entry without other text gets no bullet. One line each, joined by newlines.
     */
    public static String summarize(String material) {
        List<StringBuilder> entries = new ArrayList<>();
        Set<String> tagged = new LinkedHashSet<>();
        StringBuilder preamble = new StringBuilder();
        StringBuilder current = null;
        for (String raw : material.split("\\R", -1)) {
            String line = raw.strip();
            if (raw.startsWith("--- ")) {
                current = new StringBuilder();
                entries.add(current);
            } else if (isTagged(line)) {
                tagged.add(line);
            } else if (!line.isEmpty()) {
                (current == null ? preamble : current).append(' ').append(line);
            }
        }
        if (entries.isEmpty()) {
            entries.add(preamble);
        }
        StringBuilder out = new StringBuilder("Summary (stand-in) of " + entries.size() + " entries.");
        for (StringBuilder entry : entries) {
            String text = entry.toString().strip();
            if (!text.isEmpty()) {
                Matcher end = SENTENCE_END.matcher(text);
                out.append("\n- ").append(end.find() ? text.substring(0, end.end()) : text);
            }
        }
        tagged.forEach(line -> out.append('\n').append(line));
        return out.toString();
    }

    private static boolean isTagged(String trimmed) {
        String lower = trimmed.toLowerCase(Locale.ROOT);
        return TAGS.stream().anyMatch(lower::startsWith);
    }

    /** The system prompt's text: a string, or the text of its blocks. */
    private static String systemText(JsonNode request) {
        JsonNode system = request.path("system");
        if (system.isTextual()) {
            return system.asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode block : system) {
            out.append(block.path("text").asText("")).append('\n');
        }
        return out.toString();
    }

    private static String strip(String text) {
        return SLOW.matcher(text).replaceAll("").strip();
    }

    private static String errorType(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    /** The last message with role {@code user}; the CLI may put a {@code system} message after it. */
    private static JsonNode lastMessage(JsonNode request) {
        JsonNode messages = request.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asText())) {
                return messages.get(i);
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** The text of the tool results in {@code message}, or null if it holds none. */
    private static String toolResultText(JsonNode message) {
        StringBuilder out = null;
        for (JsonNode block : message.path("content")) {
            if ("tool_result".equals(block.path("type").asText())) {
                out = out == null ? new StringBuilder() : out;
                JsonNode content = block.path("content");
                if (content.isTextual()) {
                    out.append(content.asText());
                } else {
                    for (JsonNode c : content) {
                        out.append(c.path("text").asText(""));
                    }
                }
            }
        }
        return out == null ? null : out.toString();
    }

    /**
     * The user's own text in {@code message}: without the CLI's {@code <system-reminder>} blocks and
     * without the conversation context mainloop puts ahead of the new message (a
     * {@code <context>...</context>} block), so directives are read from the new message only.
     */
    private static String userText(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isTextual()) {
            return withoutContext(content.asText());
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode block : content) {
            String text = block.path("text").asText("");
            if ("text".equals(block.path("type").asText()) && !text.startsWith("<system-reminder>")) {
                out.append(out.isEmpty() ? "" : "\n").append(text);
            }
        }
        return withoutContext(out.toString());
    }

    private static String withoutContext(String text) {
        return CONTEXT_BLOCK.matcher(text).replaceAll("").strip();
    }
}
