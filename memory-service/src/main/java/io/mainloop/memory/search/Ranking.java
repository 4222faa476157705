package io.mainloop.memory.search;

/**
 * The weights of hybrid ranking, tuned on LongMemEval_S (session and turn recall) and kept
 * general: no question type or wording is special-cased.
 *
 * <p>A candidate's fused score is {@code lexical * bm25/maxBm25 + dense * (cos - minCos)/(maxCos - minCos)}
 * over the top {@link #candidates} of each retriever in one search, or, with {@code rrfK > 0},
 * reciprocal rank fusion {@code lexical/(rrfK + lexRank) + dense/(rrfK + denseRank)} scaled so the
 * best is 1. A message then gets {@code session *} its session document's score (the same fusion
 * over whole sessions) and {@code support *} the best score of another candidate message of the
 * same session. Memories are multiplied by {@link #memoryBoost}, summaries by
 * {@link #summaryBoost}; items inside a period the query names by {@code 1 + periodBoost}; every
 * item gets up to {@link #recency} for being recent relative to asOf (half-life
 * {@link #recencyHalfLifeDays} days). With {@code proximity > 0} the lexical query also scores each
 * pair of adjacent query terms found near each other (a sloppy phrase: at most
 * {@link #proximitySlop} positions apart, stop words counted), at that weight relative to a term's.
 * With {@code denseWithoutPeriod}, the dense retriever embeds the query without the words that
 * name its period ("What did I buy two weeks ago?" as "What did I buy?"): the period boost stands
 * for them, and a vector cannot do date arithmetic, only drift toward any text about weeks.
 */
public record Ranking(double lexical, double dense, double session, double support, double memoryBoost,
                      double summaryBoost, double periodBoost, double recency, double recencyHalfLifeDays,
                      int candidates, int rrfK, double proximity, int proximitySlop, boolean denseWithoutPeriod) {

    /** The default weights. */
    public static final Ranking DEFAULT = new Ranking(0.3, 0.7, 0, 0, 1.3, 1.0, 1.0, 0.05, 120, 200, 0, 2, 6, true);

    /** These weights with other lexical and dense weights. */
    public Ranking withFusion(double lexical, double dense, int rrfK) {
        return new Ranking(lexical, dense, session, support, memoryBoost, summaryBoost, periodBoost, recency,
                recencyHalfLifeDays, candidates, rrfK, proximity, proximitySlop, denseWithoutPeriod);
    }

    /** These weights with another session-document weight and same-session support. */
    public Ranking withSession(double session, double support) {
        return new Ranking(lexical, dense, session, support, memoryBoost, summaryBoost, periodBoost, recency,
                recencyHalfLifeDays, candidates, rrfK, proximity, proximitySlop, denseWithoutPeriod);
    }

    /** These weights with other time weighting. */
    public Ranking withTime(double periodBoost, double recency, double recencyHalfLifeDays) {
        return new Ranking(lexical, dense, session, support, memoryBoost, summaryBoost, periodBoost, recency,
                recencyHalfLifeDays, candidates, rrfK, proximity, proximitySlop, denseWithoutPeriod);
    }

    /** These weights with another number of candidates per retriever. */
    public Ranking withCandidates(int candidates) {
        return new Ranking(lexical, dense, session, support, memoryBoost, summaryBoost, periodBoost, recency,
                recencyHalfLifeDays, candidates, rrfK, proximity, proximitySlop, denseWithoutPeriod);
    }

    /** These weights with another weight of adjacent query terms found near each other. */
    public Ranking withProximity(double proximity, int proximitySlop) {
        return new Ranking(lexical, dense, session, support, memoryBoost, summaryBoost, periodBoost, recency,
                recencyHalfLifeDays, candidates, rrfK, proximity, proximitySlop, denseWithoutPeriod);
    }

    /** These weights with the words naming a period left out of the dense query, or kept in it. */
    public Ranking withDenseWithoutPeriod(boolean denseWithoutPeriod) {
        return new Ranking(lexical, dense, session, support, memoryBoost, summaryBoost, periodBoost, recency,
                recencyHalfLifeDays, candidates, rrfK, proximity, proximitySlop, denseWithoutPeriod);
    }
}
