package io.mainloop.memory.compaction;

import io.mainloop.memory.repository.MemoryEntity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a summary's tagged lines, which become memories: a line whose text (after an optional
 * list bullet) starts with {@code [decision]}, {@code [insight]}, {@code [handoff]},
 * {@code [fact]} or {@code [preference]}, case-insensitive.
 */
public final class TaggedLines {

    /** Longest memory text taken from one line, characters. */
    static final int MAX_CHARS = 1000;

    private static final Pattern TAGGED = Pattern.compile(
            "^[ \\t]*(?:[-*][ \\t]*)?\\[(decision|insight|handoff|fact|preference)][ \\t]*[:-]?[ \\t]*(.+?)[ \\t]*$",
            Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

    /**
     * A tagged line.
     *
     * @param kind the memory kind its tag names
     * @param text the line's text after the tag
     */
    public record Tagged(MemoryEntity.Kind kind, String text) {
    }

    private TaggedLines() {
    }

    /** The tagged lines of {@code text}, in order. */
    public static List<Tagged> in(String text) {
        List<Tagged> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        Matcher m = TAGGED.matcher(text);
        while (m.find()) {
            String body = m.group(2).strip();
            if (body.isEmpty()) {
                continue;
            }
            out.add(new Tagged(MemoryEntity.Kind.valueOf(m.group(1).toUpperCase(Locale.ROOT)),
                    body.length() <= MAX_CHARS ? body : body.substring(0, MAX_CHARS)));
        }
        return out;
    }
}
