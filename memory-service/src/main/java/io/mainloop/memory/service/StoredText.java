package io.mainloop.memory.service;

/**
 * Text as memory-service stores it. PostgreSQL refuses the NUL character in {@code text} and
 * {@code jsonb} (a binary file a tool printed, a pasted control character): such a record could
 * never be stored and would be retried forever, holding up its partition, so NUL becomes U+FFFD.
 * A tool's output is kept to {@value #MAX_OUTPUT_CHARS} characters in the stored reply, so a turn
 * that read many large files still makes a {@code message.stored} event far below Kafka's 1 MB
 * record limit (the whole output stays in the turn's CLI output file in the workspace).
 */
public final class StoredText {

    /** Most characters of one tool output kept in a stored reply. */
    public static final int MAX_OUTPUT_CHARS = 32 * 1024;

    private StoredText() {
    }

    /** {@code text} without NUL characters; null stays null. */
    public static String clean(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }

    /** JSON text without the escaped NUL ({@code \u0000}), which {@code jsonb} refuses. */
    public static String cleanJson(String json) {
        return json == null ? null : clean(json).replace("\\u0000", "\\ufffd");
    }

    /** A tool's output as kept: cleaned, and cut after {@value #MAX_OUTPUT_CHARS} characters with a note of how much was left out. */
    public static String output(String output) {
        String text = clean(output);
        if (text == null || text.length() <= MAX_OUTPUT_CHARS) {
            return text;
        }
        return text.substring(0, MAX_OUTPUT_CHARS) + "\n[output elided: " + (text.length() - MAX_OUTPUT_CHARS)
                + " more characters]";
    }
}
