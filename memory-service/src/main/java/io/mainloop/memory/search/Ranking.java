package io.mainloop.memory.search;

/**
 * The weights of hybrid ranking, tuned on LongMemEval_S (session and turn recall) and kept
 * general: no question type or wording is special-cased.
 *
 * <p>A candidate's score is {@code lexical * bm25/maxBm25 + dense * (cos - minCos)/(maxCos - minCos)}
 * over the candidates of one search; a message also gets {@code session *} its session's score
 * (the same fusion over whole sessions), so a message in the right conversation outranks a lone
 * lucky match. Memories are multiplied by {@link #memoryBoost}, summaries by
 * {@link #summaryBoost}. Items inside a period the query names are multiplied by
 * {@code 1 + periodBoost};
 * every item gets up to {@link #recency} for being recent relative to asOf (half-life
 * {@link #recencyHalfLifeDays} days).
 */
public record Ranking(double lexical, double dense, double session, double memoryBoost, double summaryBoost,
                      double periodBoost, double recency, double recencyHalfLifeDays, int candidates) {

    /** The default weights. */
    public static final Ranking DEFAULT = new Ranking(0.4, 0.6, 0.3, 1.3, 1.0, 0.5, 0.05, 120, 200);
}
