package io.mainloop.memory.pyramid;

/**
 * One piece of a turn's context: a message, a summary, a memory, a core block, the system prompt.
 *
 * @param kind what it is: {@code system}, {@code core}, {@code memory}, {@code summary}, {@code message}
 * @param id the stored id (message, summary or memory id; the block name), or null
 * @param label a short human label (a date, a period, a kind)
 * @param text the text as the assistant saw it (null in the dropped list)
 * @param tokens its estimated size, tokens
 */
public record ContextItem(String kind, String id, String label, String text, int tokens) {

    /** This item without its text (for the list of what was dropped). */
    public ContextItem withoutText() {
        return new ContextItem(kind, id, label, null, tokens);
    }
}
