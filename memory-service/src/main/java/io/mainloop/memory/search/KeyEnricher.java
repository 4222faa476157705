package io.mainloop.memory.search;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Rule-based key enrichment, no model call: the owner's first-person statements of fact or
 * preference ("I prefer ...", "my sister's name is ...", "I bought ...", "we decided ...") are
 * pulled out of a message and indexed again in their own field ({@code keys}), so a question about
 * them matches the statement rather than the chatter around it.
 */
public final class KeyEnricher {

    private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?\\n])\\s+");

    private static final Pattern FIRST_PERSON = Pattern.compile(
            "\\b(i|i'm|i've|i'd|i'll|we|we've|we're|my|our|mine)\\b\\s*([\\w'’-]+\\s+){0,3}?"
                    + "(am|was|have|had|got|get|bought|purchased|ordered|prefer|preferred|like|liked|love|loved|enjoy|"
                    + "enjoyed|hate|hated|dislike|want|wanted|need|needed|decided|chose|picked|use|used|started|"
                    + "finished|moved|went|visited|traveled|travelled|adopted|named|called|is|are|was|were|"
                    + "live|lived|work|worked|made|took|spent|paid|learned|joined|signed|booked|planning|plan|"
                    + "favorite|favourite|allergic|birthday)\\b",
            Pattern.CASE_INSENSITIVE);

    private static final int MAX_KEY_CHARS = 2000;

    private KeyEnricher() {
    }

    /** The first-person fact and preference sentences of {@code text}, joined, at most 2,000 characters; "" if none. */
    public static String keys(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        List<String> found = new ArrayList<>();
        int length = 0;
        for (String sentence : SENTENCE.split(text)) {
            String s = sentence.strip();
            if (s.length() < 8 || s.length() > 400 || s.endsWith("?")) {
                continue;
            }
            if (FIRST_PERSON.matcher(s).find()) {
                if (length + s.length() > MAX_KEY_CHARS) {
                    break;
                }
                found.add(s);
                length += s.length() + 1;
            }
        }
        return String.join(" ", found);
    }
}
