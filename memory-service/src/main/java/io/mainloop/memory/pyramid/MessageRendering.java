package io.mainloop.memory.pyramid;

import io.mainloop.contracts.ConversationEvent.ContentBlock;
import io.mainloop.memory.repository.MessageEntity;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * How a stored message reads in a context or a summary's material: an assistant answer with its
 * text blocks and tool calls in order, tool outputs kept (up to 2,000 characters) or elided as
 * {@code [output elided: N bytes]}, and the whole cut at a size limit with a note.
 */
public final class MessageRendering {

    /** Most characters of one tool output kept in a context. */
    static final int TOOL_OUTPUT_CHARS = 2000;
    /** Most characters of one tool input shown. */
    static final int TOOL_INPUT_CHARS = 300;

    private MessageRendering() {
    }

    /**
     * The message's text for a context.
     *
     * @param withToolOutputs whether tool outputs are shown (recent turns) or elided
     * @param maxChars the most characters; a longer text is cut with a note
     */
    public static String render(MessageEntity m, boolean withToolOutputs, int maxChars) {
        String text;
        if (m.blocks == null || m.blocks.isEmpty() || m.blocks.stream().noneMatch(b -> "tool".equals(b.type()))) {
            text = m.text;
        } else {
            StringBuilder out = new StringBuilder();
            for (ContentBlock b : m.blocks) {
                if ("tool".equals(b.type())) {
                    String input = b.input() == null ? "" : b.input().toString();
                    out.append("[tool ").append(b.name()).append(' ').append(cut(input, TOOL_INPUT_CHARS)).append("] ");
                    String output = b.output() == null ? "" : b.output();
                    if (withToolOutputs) {
                        out.append(Boolean.TRUE.equals(b.isError()) ? "error: " : "-> ")
                                .append(cut(output, TOOL_OUTPUT_CHARS));
                    } else {
                        out.append("[output elided: ").append(output.getBytes(StandardCharsets.UTF_8).length)
                                .append(" bytes]");
                    }
                    out.append('\n');
                } else if (b.text() != null) {
                    out.append(b.text()).append('\n');
                }
            }
            text = out.toString().strip();
        }
        return text.length() <= maxChars ? text
                : text.substring(0, maxChars) + "\n[... " + (text.length() - maxChars)
                        + " more characters; recall_period shows the whole message]";
    }

    /** A header line for material entries: {@code --- [2026-03-02 14:05] user}. */
    public static String header(MessageEntity m, ZoneId zone) {
        return "--- [" + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone).format(m.createdAt) + "] "
                + m.role.name().toLowerCase();
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
