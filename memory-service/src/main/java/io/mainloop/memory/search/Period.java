package io.mainloop.memory.search;

import java.time.Instant;

/**
 * A time range a query names, {@code [from, to)}.
 *
 * @param from first instant, included
 * @param to end, excluded
 * @param phrase the words that named it ("last March", "two weeks ago")
 */
public record Period(Instant from, Instant to, String phrase) {

    /** Whether {@code t} falls inside. */
    public boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }
}
