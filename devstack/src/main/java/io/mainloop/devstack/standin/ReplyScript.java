package io.mainloop.devstack.standin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides the stand-in's reply from a request when no reply was queued. The owner (or a test)
 * steers it with directives in the latest user message:
 * <ul>
 *   <li>{@code [[reply:TEXT]]} answers TEXT;</li>
 *   <li>{@code [[tool:Bash:COMMAND]]} calls the Bash tool with COMMAND ({@code [[tool:Read:PATH]]}
 *       the Read tool with PATH), then reports its output;
 *       with {@code [[say:TEXT]]} too, it first says TEXT (a text block before the tool call);</li>
 *   <li>{@code [[error:STATUS]]} answers HTTP STATUS with an Anthropic error body;</li>
 *   <li>{@code [[slow:MS]]} streams the reply in small pieces MS milliseconds apart.</li>
 * </ul>
 * Without a directive it echoes the message, saying it is the demo stand-in, not Claude.
 */
public final class ReplyScript {

    private static final Pattern REPLY = Pattern.compile("\\[\\[reply:(.+?)]]", Pattern.DOTALL);
    private static final Pattern TOOL = Pattern.compile("\\[\\[tool:(\\w+):(.+?)]]", Pattern.DOTALL);
    private static final Pattern ERROR = Pattern.compile("\\[\\[error:(\\d{3})]]");
    private static final Pattern SLOW = Pattern.compile("\\[\\[slow:(\\d+)]]");
    private static final Pattern SAY = Pattern.compile("\\[\\[say:(.+?)]]", Pattern.DOTALL);

    private ReplyScript() {
    }

    /** The reply to a Messages API request body. */
    public static ScriptedReply replyTo(JsonNode request) {
        JsonNode last = lastMessage(request);
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
            Map<String, Object> input = new LinkedHashMap<>();
            if ("Read".equals(m.group(1))) {
                input.put("file_path", m.group(2)); // [[tool:Read:/a/file]]
            } else {
                input.put("command", m.group(2));
                input.put("description", "Run " + m.group(2));
            }
            Matcher say = SAY.matcher(text);
            return new ScriptedReply.ToolUse(m.group(1), input, say.find() ? say.group(1) : null);
        }
        long delay = (m = SLOW.matcher(text)).find() ? Long.parseLong(m.group(1)) : 0;
        String reply = (m = REPLY.matcher(text)).find() ? m.group(1)
                : "Demo mode (mainloop's stand-in API, not Claude). You said: " + strip(text);
        return new ScriptedReply.Text(reply, delay > 0 ? 4 : 12, delay);
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

    /** The user's own text in {@code message}, without the CLI's {@code <system-reminder>} blocks. */
    private static String userText(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode block : content) {
            String text = block.path("text").asText("");
            if ("text".equals(block.path("type").asText()) && !text.startsWith("<system-reminder>")) {
                out.append(out.isEmpty() ? "" : "\n").append(text);
            }
        }
        return out.toString();
    }
}
