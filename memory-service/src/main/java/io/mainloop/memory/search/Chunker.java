package io.mainloop.memory.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a long message into overlapping chunks, each indexed (and embedded) on its own so a detail
 * deep in a long message is found: at most {@link #MAX_CHARS} characters (~300 tokens, within the
 * embedding model's 512), {@link #OVERLAP} shared with the previous one, cut at a sentence or word
 * boundary when there is one in the last fifth.
 */
public final class Chunker {

    /** Longest chunk, characters. */
    public static final int MAX_CHARS = 1200;

    /** Characters a chunk repeats of the one before it. */
    public static final int OVERLAP = 200;

    private Chunker() {
    }

    /** The chunks of {@code text} in order; a text that fits is one chunk. */
    public static List<String> chunks(String text) {
        List<String> out = new ArrayList<>();
        String t = text == null ? "" : text.strip();
        if (t.length() <= MAX_CHARS) {
            out.add(t);
            return out;
        }
        int start = 0;
        while (start < t.length()) {
            int end = Math.min(t.length(), start + MAX_CHARS);
            if (end < t.length()) {
                end = boundary(t, start + MAX_CHARS * 4 / 5, end);
            }
            out.add(t.substring(start, end).strip());
            if (end >= t.length()) {
                break;
            }
            start = Math.max(start + 1, boundary(t, end - OVERLAP - 100, end - OVERLAP));
        }
        return out;
    }

    /** The last sentence end (else whitespace) in {@code [from, to)}, else {@code to}. */
    private static int boundary(String t, int from, int to) {
        for (int i = to - 1; i > from; i--) {
            char c = t.charAt(i - 1);
            if ((c == '.' || c == '!' || c == '?' || c == '\n') && Character.isWhitespace(t.charAt(i))) {
                return i;
            }
        }
        for (int i = to - 1; i > from; i--) {
            if (Character.isWhitespace(t.charAt(i))) {
                return i;
            }
        }
        return to;
    }
}
