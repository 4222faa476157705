package io.mainloop.memory.pyramid;

import java.util.List;

/**
 * One layer of a turn's context, in context order: {@code system}, {@code core},
 * {@code memories}, {@code summaries}, {@code unsummarized}, {@code recent}, {@code retrieved},
 * {@code tasks}, {@code prompt}.
 *
 * @param name the layer's name
 * @param label a human label
 * @param tokens estimated size of its items, tokens
 * @param items what it holds, in the order the assistant saw them
 */
public record ContextLayer(String name, String label, int tokens, List<ContextItem> items) {

    /** A layer holding {@code items}, its size their sum. */
    public static ContextLayer of(String name, String label, List<ContextItem> items) {
        return new ContextLayer(name, label, items.stream().mapToInt(ContextItem::tokens).sum(), List.copyOf(items));
    }
}
