package io.mainloop.memory.pyramid;

import java.util.ArrayList;
import java.util.List;

/**
 * Fills a token budget in keep order and drops the rest, strictly: once an item does not fit,
 * it and every item offered after it are dropped (and listed), so what is left out is always a
 * tail of the documented drop order, never a hole in the middle.
 */
final class ContextBudget {

    private int remaining;
    private boolean full;
    private final List<ContextItem> dropped = new ArrayList<>();

    ContextBudget(int tokens) {
        this.remaining = tokens;
    }

    /** Keeps {@code item} if it fits and nothing was dropped before it; else records it as dropped. */
    boolean offer(ContextItem item) {
        if (!full && item.tokens() <= remaining) {
            remaining -= item.tokens();
            return true;
        }
        full = true;
        dropped.add(item.withoutText());
        return false;
    }

    /** Records what was left out without being loaded (older messages past a full budget). */
    void droppedUnloaded(ContextItem marker) {
        full = true;
        dropped.add(marker);
    }

    /** Whether the budget is spent: everything offered from now on is dropped. */
    boolean full() {
        return full;
    }

    /** What was dropped, in drop-decision order. */
    List<ContextItem> dropped() {
        return List.copyOf(dropped);
    }
}
