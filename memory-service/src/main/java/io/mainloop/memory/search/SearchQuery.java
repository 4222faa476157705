package io.mainloop.memory.search;

import java.time.Instant;
import java.util.Set;

/**
 * What to search for.
 *
 * @param threadId the only thread searched
 * @param text the query, free text
 * @param limit most hits
 * @param from only items written at or after this, or null
 * @param to only items written before this, or null
 * @param kinds MESSAGE, SUMMARY, MEMORY (empty: all)
 * @param role only messages of this role (USER, ASSISTANT, SYSTEM), or null for all
 * @param asOf "now" for time weighting and for periods the query names ("last March")
 */
public record SearchQuery(String threadId, String text, int limit, Instant from, Instant to, Set<String> kinds,
                          String role, Instant asOf) {
}
