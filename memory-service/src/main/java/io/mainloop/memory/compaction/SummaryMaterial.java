package io.mainloop.memory.compaction;

import io.mainloop.contracts.Granularity;
import io.mainloop.memory.pyramid.MessageRendering;
import io.mainloop.memory.repository.MessageEntity;
import io.mainloop.memory.repository.SummaryEntity;
import java.time.ZoneId;
import java.util.List;

/**
 * What a summarizer is given (docs/memory.md, "Compaction"): the instructions (with the marker
 * {@code mainloop:summarize} and the template) and the material, a list of entries each opened
 * by a line {@code --- [<when>] <who or what>}: a day's messages, or the summaries of a week's
 * days, or of a month's weeks and odd days.
 */
public final class SummaryMaterial {

    /** The marker that names a summary request (the stand-in API answers those deterministically). */
    public static final String MARKER = "mainloop:summarize";

    /** Most characters of one message in a day's material. */
    static final int MESSAGE_CHARS = 4000;

    private SummaryMaterial() {
    }

    /** The summarizer's system prompt for a period of {@code granularity} labelled {@code label}. */
    public static String instructions(Granularity granularity, String label) {
        String what = switch (granularity) {
            case DAILY -> "the messages of one day (" + label + ")";
            case WEEKLY -> "the daily summaries of one week (" + label + ")";
            case MONTHLY -> "the weekly and daily summaries of one month (" + label + ")";
        };
        return MARKER + "\n"
                + "You write one summary for the owner's long-term memory from " + what + " of a conversation "
                + "between the owner and their assistant. The summary replaces the detail in the assistant's "
                + "context, so keep what matters later: names, numbers, dates, and decisions in the owner's own "
                + "words. Write only the summary, in this shape:\n"
                + "## What was done\n## Decisions\n## Open threads\n## Context to keep\n"
                + "Then one line per item worth remembering on its own, each starting with its tag: "
                + "[decision] ..., [insight] ..., [handoff] ... (something to pick up later), [fact] ..., "
                + "[preference] .... Repeat every tagged line found in the material. "
                + "Be brief: at most about 300 words besides the tagged lines.";
    }

    /** A day's material: its messages in order, each cut at 4,000 characters, the whole at {@code maxChars}. */
    public static String ofMessages(List<MessageEntity> messages, ZoneId zone, int maxChars) {
        StringBuilder out = new StringBuilder();
        for (MessageEntity m : messages) {
            out.append(MessageRendering.header(m, zone)).append('\n')
                    .append(MessageRendering.render(m, false, MESSAGE_CHARS)).append("\n\n");
        }
        return cutMiddle(out.toString().strip(), maxChars);
    }

    /** A week's or month's material: the written summaries of its parts, oldest first. */
    public static String ofSummaries(List<SummaryEntity> parts, int maxChars) {
        StringBuilder out = new StringBuilder();
        for (SummaryEntity s : parts) {
            out.append("--- [").append(s.granularity).append(' ').append(s.granularity.label(s.periodStart))
                    .append("]\n").append(s.text == null ? "" : s.text.strip()).append("\n\n");
        }
        return cutMiddle(out.toString().strip(), maxChars);
    }

    private static String cutMiddle(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int half = maxChars / 2;
        return text.substring(0, half) + "\n\n[... " + (text.length() - 2 * half)
                + " characters left out of this summary's material ...]\n\n" + text.substring(text.length() - half);
    }
}
