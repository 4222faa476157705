package io.mainloop.memory.search;

import io.mainloop.memory.config.MemoryConfig;
import io.mainloop.memory.config.TimeSource;
import io.mainloop.memory.memories.MemoryRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.highlight.Highlighter;
import org.apache.lucene.search.highlight.InvalidTokenOffsetsException;
import org.apache.lucene.search.highlight.QueryScorer;
import org.apache.lucene.search.highlight.SimpleFragmenter;
import org.apache.lucene.search.highlight.SimpleHTMLFormatter;

/**
 * Hybrid search of one thread: BM25 and dense kNN candidates fused ({@link Ranking}), messages
 * lifted by their session's score, memories boosted, time weighted relative to {@code asOf}
 * (a period the query names, {@link PeriodResolver}, is boosted). The index is caught up with
 * PostgreSQL first, so a search sees every write committed before it. Runs outside the caller's
 * transaction (a turn's), which it suspends.
 */
@ApplicationScoped
public class SearchService {

    /** Longest snippet, characters (before highlighting marks). */
    static final int SNIPPET_CHARS = 240;

    private static final Set<String> KINDS = Set.of("MESSAGE", "SUMMARY", "MEMORY");
    private static final Set<String> ROLES = Set.of("USER", "ASSISTANT", "SYSTEM");

    @Inject
    MemoryConfig config;

    @Inject
    TimeSource time;

    @Inject
    SearchIndexer indexer;

    @Inject
    Embedder embedder;

    @Inject
    SearchFeed feed;

    volatile Ranking ranking = Ranking.DEFAULT;

    /** Uses other weights from now on (the benchmark compares them). */
    public void ranking(Ranking ranking) {
        this.ranking = ranking;
    }

    /**
     * The best hits for {@code query}, best first.
     *
     * @throws MemoryRequestException 400 for an empty query or a bad kind or role, 503 if search is disabled
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<SearchHit> search(SearchQuery query) {
        return search(query, true);
    }

    /**
     * Like {@link #search(SearchQuery)}; with {@code fresh} false the index is used as it is (kept
     * current within {@code mainloop.memory.search.catch-up} by the schedule), without waiting for
     * a catch-up: for a turn's context, which must never wait on indexing.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<SearchHit> search(SearchQuery query, boolean fresh) {
        return search(query, fresh, hit -> false, query.limit());
    }

    /**
     * Like {@link #search(SearchQuery, boolean)}, but of the top {@code query.limit()} hits it
     * returns only the first {@code take} that {@code skip} lets through. {@code skip} sees each
     * hit before its snippet and day summary are looked up (those are null then), so hits skipped
     * cost no highlighting: for a turn's context, which skips what it already holds.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<SearchHit> search(SearchQuery query, boolean fresh, Predicate<SearchHit> skip, int take) {
        if (!config.search().enabled()) {
            throw new MemoryRequestException(503, "search is disabled (mainloop.memory.search.enabled=false)");
        }
        if (query.text() == null || query.text().isBlank()) {
            throw new MemoryRequestException(400, "q must not be empty");
        }
        for (String k : query.kinds()) {
            if (!KINDS.contains(k)) {
                throw new MemoryRequestException(400, "kind must be MESSAGE, SUMMARY or MEMORY");
            }
        }
        if (query.role() != null && !ROLES.contains(query.role())) {
            throw new MemoryRequestException(400, "role must be USER, ASSISTANT or SYSTEM");
        }
        if (fresh) {
            indexer.catchUpFresh();
        }
        Ranking r = ranking;
        Instant asOf = query.asOf() != null ? query.asOf() : time.now();
        ZoneId zone = time.zone();
        Optional<Period> period = PeriodResolver.resolve(query.text(), asOf, zone);
        float[] vector = embedder.embedQuery(denseText(query.text(), period, r));
        Set<String> kinds = query.kinds().isEmpty() ? KINDS : query.kinds();

        SearchIndex index = indexer.index();
        IndexSearcher searcher = index.acquire();
        try {
            Query lexical = LexicalQuery.of(index.analyzer(), query.text(), r.proximity(), r.proximitySlop());
            Query filter = filter(query, kinds);
            Map<Integer, Double> fused = fuse(searcher, lexical, vector, filter, r);
            Map<String, Double> sessions = kinds.contains("MESSAGE") && r.session() > 0
                    ? sessionScores(searcher, lexical, vector, sessionFilter(query), r) : Map.of();

            Map<String, Candidate> best = new HashMap<>();
            Map<Integer, CandidateFields> fields = CandidateFields.read(searcher, fused.keySet());
            for (var e : fused.entrySet()) {
                Candidate c = candidate(e.getKey(), fields.get(e.getKey()), e.getValue(), sessions, period, asOf, r);
                best.merge(c.key(), c, (a, b) -> a.score() >= b.score() ? a : b);
            }
            // a strong session none of whose messages made the candidates is represented by its first message
            if (!sessions.isEmpty() && (query.role() == null || query.role().equals("USER"))) {
                addSessionRepresentatives(searcher, query, sessions, best, period, asOf, r);
            }
            if (r.support() > 0) {
                best = withSessionSupport(best, r.support());
            }
            List<Candidate> ranked = new ArrayList<>(best.values());
            ranked.sort(Comparator.comparingDouble((Candidate c) -> -c.score()).thenComparing(Candidate::key));
            List<Candidate> top = ranked.subList(0, Math.min(query.limit(), ranked.size()));
            return hits(searcher, top, skip, take, lexical, index, query.threadId(), zone);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            index.release(searcher);
        }
    }

    /**
     * The text the dense retriever embeds for a search of {@code text} now (as {@link #search}
     * with no {@code asOf} would): for embedding it ahead ({@link Embedder#prefetchQuery}).
     */
    public String denseText(String text) {
        return denseText(text, PeriodResolver.resolve(text, time.now(), time.zone()), ranking);
    }

    /**
     * {@code text} without the words naming {@code period} (as a whole, case aside; the spaces
     * around them become one, or none before punctuation) when the ranking says so
     * ({@link Ranking}); {@code text} itself when no word would be left.
     */
    static String denseText(String text, Optional<Period> period, Ranking r) {
        if (!r.denseWithoutPeriod() || period.isEmpty()) {
            return text;
        }
        Matcher words = Pattern.compile("\\b" + Pattern.quote(period.get().phrase()) + "\\b", Pattern.CASE_INSENSITIVE)
                .matcher(text);
        if (!words.find()) {
            return text;
        }
        String before = text.substring(0, words.start()).stripTrailing();
        String after = text.substring(words.end()).stripLeading();
        String rest = (after.isEmpty() || ".?!,;:".indexOf(after.charAt(0)) >= 0 ? before + after
                : before + " " + after).strip();
        return rest.codePoints().anyMatch(Character::isLetterOrDigit) ? rest : text;
    }

    /**
     * A scored document before it becomes a hit: its Lucene doc id, the fields ranking reads, and
     * its score; {@link CandidateFields#key} is the message, summary or memory id.
     */
    private record Candidate(int doc, CandidateFields fields, double score) {

        String key() {
            return fields.key();
        }

        Candidate rescored(double newScore) {
            return new Candidate(doc, fields, newScore);
        }
    }

    private Candidate candidate(int doc, CandidateFields fields, double fused, Map<String, Double> sessions,
                                Optional<Period> period, Instant asOf, Ranking r) {
        double score = fused;
        switch (fields.kind()) {
            case "MEMORY" -> score *= r.memoryBoost();
            case "SUMMARY" -> score *= r.summaryBoost();
            default -> score += r.session() * sessions.getOrDefault(fields.session(), 0.0);
        }
        return new Candidate(doc, fields, timeWeighted(score, Instant.ofEpochMilli(fields.timeMillis()), period, asOf, r));
    }

    /** Each message plus {@code support} times the best other candidate message of its session. */
    private static Map<String, Candidate> withSessionSupport(Map<String, Candidate> best, double support) {
        Map<String, double[]> topTwo = new HashMap<>();
        for (Candidate c : best.values()) {
            String session = c.fields().session();
            if (session != null) {
                double[] t = topTwo.computeIfAbsent(session, k -> new double[2]);
                if (c.score() > t[0]) {
                    t[1] = t[0];
                    t[0] = c.score();
                } else if (c.score() > t[1]) {
                    t[1] = c.score();
                }
            }
        }
        Map<String, Candidate> out = new HashMap<>();
        for (var e : best.entrySet()) {
            Candidate c = e.getValue();
            String session = c.fields().session();
            if (session == null) {
                out.put(e.getKey(), c);
                continue;
            }
            double[] t = topTwo.get(session);
            double other = c.score() >= t[0] ? t[1] : t[0];
            out.put(e.getKey(), c.rescored(c.score() + support * other));
        }
        return out;
    }

    /** {@code score} times the period boost if {@code t} is in the named period, plus the recency bonus. */
    private static double timeWeighted(double score, Instant t, Optional<Period> period, Instant asOf, Ranking r) {
        double out = score;
        if (period.isPresent() && period.get().contains(t)) {
            out *= 1 + r.periodBoost();
        }
        double ageDays = Duration.between(t, asOf).toHours() / 24.0;
        if (ageDays >= 0) {
            out += r.recency() * Math.pow(0.5, ageDays / r.recencyHalfLifeDays());
        }
        return out;
    }

    private void addSessionRepresentatives(IndexSearcher searcher, SearchQuery query, Map<String, Double> sessions,
                                           Map<String, Candidate> best, Optional<Period> period, Instant asOf,
                                           Ranking r) throws IOException {
        Set<String> present = new HashSet<>();
        best.values().forEach(c -> present.add(c.fields().session()));
        List<Map.Entry<String, Double>> top = sessions.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(query.limit()).toList();
        for (var s : top) {
            if (present.contains(s.getKey())) {
                continue;
            }
            BooleanQuery q = new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(SearchIndex.THREAD, query.threadId())), BooleanClause.Occur.FILTER)
                    .add(new TermQuery(new Term(SearchIndex.KIND, "SESSION")), BooleanClause.Occur.FILTER)
                    .add(new TermQuery(new Term(SearchIndex.SESSION, s.getKey())), BooleanClause.Occur.FILTER).build();
            TopDocs found = searcher.search(q, 1);
            if (found.scoreDocs.length == 1) {
                int doc = found.scoreDocs[0].doc;
                CandidateFields fields = CandidateFields.read(searcher, List.of(doc)).get(doc);
                best.put("S:" + s.getKey(), new Candidate(doc, fields, timeWeighted(r.session() * s.getValue(),
                        Instant.ofEpochMilli(fields.timeMillis()), period, asOf, r)));
            }
        }
    }

    /** Fused scores of the candidates of both retrievers, by Lucene doc id. */
    private static Map<Integer, Double> fuse(IndexSearcher searcher, Query lexical, float[] vector, Query filter,
                                             Ranking r) throws IOException {
        TopDocs lex = searcher.search(new BooleanQuery.Builder().add(lexical, BooleanClause.Occur.MUST)
                .add(filter, BooleanClause.Occur.FILTER).build(), r.candidates());
        TopDocs dense = searcher.search(new KnnFloatVectorQuery(SearchIndex.VEC, vector, r.candidates(), filter),
                r.candidates());
        Map<Integer, Double> out = new HashMap<>();
        if (r.rrfK() > 0) {
            for (int i = 0; i < lex.scoreDocs.length; i++) {
                out.merge(lex.scoreDocs[i].doc, r.lexical() / (r.rrfK() + i + 1), Double::sum);
            }
            for (int i = 0; i < dense.scoreDocs.length; i++) {
                out.merge(dense.scoreDocs[i].doc, r.dense() / (r.rrfK() + i + 1), Double::sum);
            }
            double max = out.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
            out.replaceAll((doc, score) -> score / max);
            return out;
        }
        double maxLex = lex.scoreDocs.length == 0 ? 1 : lex.scoreDocs[0].score;
        for (ScoreDoc d : lex.scoreDocs) {
            out.merge(d.doc, r.lexical() * d.score / maxLex, Double::sum);
        }
        if (dense.scoreDocs.length > 0) {
            double max = cos(dense.scoreDocs[0].score);
            double min = cos(dense.scoreDocs[dense.scoreDocs.length - 1].score);
            double span = Math.max(1e-6, max - min);
            for (ScoreDoc d : dense.scoreDocs) {
                out.merge(d.doc, r.dense() * (cos(d.score) - min) / span, Double::sum);
            }
        }
        return out;
    }

    /** Session key to its fused score in [0, 1] relative to the best session. */
    private static Map<String, Double> sessionScores(IndexSearcher searcher, Query lexical, float[] vector, Query filter,
                                                     Ranking r) throws IOException {
        Map<Integer, Double> fused = fuse(searcher, lexical, vector, filter, r);
        double max = fused.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        Map<Integer, CandidateFields> fields = CandidateFields.read(searcher, fused.keySet());
        Map<String, Double> out = new HashMap<>();
        for (var e : fused.entrySet()) {
            out.put(fields.get(e.getKey()).session(), e.getValue() / max);
        }
        return out;
    }

    /** DOT_PRODUCT similarity score back to the cosine. */
    private static double cos(float score) {
        return 2.0 * score - 1.0;
    }

    private static Query filter(SearchQuery q, Set<String> kinds) {
        BooleanQuery.Builder kindsAllowed = new BooleanQuery.Builder();
        for (String kind : kinds) {
            Query k = new TermQuery(new Term(SearchIndex.KIND, kind));
            if (kind.equals("MESSAGE") && q.role() != null) {
                k = new BooleanQuery.Builder().add(k, BooleanClause.Occur.FILTER)
                        .add(new TermQuery(new Term(SearchIndex.ROLE, q.role())), BooleanClause.Occur.FILTER).build();
            }
            kindsAllowed.add(k, BooleanClause.Occur.SHOULD);
        }
        kindsAllowed.setMinimumNumberShouldMatch(1);
        return withThreadAndTime(q, kindsAllowed.build());
    }

    private static Query sessionFilter(SearchQuery q) {
        return withThreadAndTime(q, new TermQuery(new Term(SearchIndex.KIND, "SESSION")));
    }

    private static Query withThreadAndTime(SearchQuery q, Query kinds) {
        BooleanQuery.Builder b = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(SearchIndex.THREAD, q.threadId())), BooleanClause.Occur.FILTER)
                .add(kinds, BooleanClause.Occur.FILTER);
        if (q.from() != null || q.to() != null) {
            long from = q.from() == null ? Long.MIN_VALUE : q.from().toEpochMilli();
            long to = q.to() == null ? Long.MAX_VALUE : q.to().toEpochMilli() - 1;
            b.add(LongPoint.newRangeQuery(SearchIndex.TIME, from, to), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    /** The hits of {@code top}: only these load their stored documents. */
    private List<SearchHit> hits(IndexSearcher searcher, List<Candidate> top, Predicate<SearchHit> skip, int take,
                                 Query lexical, SearchIndex index, String threadId, ZoneId zone) throws IOException {
        record Chosen(SearchHit bare, Document doc) {
        }
        List<Chosen> chosen = new ArrayList<>();
        Set<LocalDate> days = new HashSet<>();
        for (Candidate c : top) {
            if (chosen.size() >= take) {
                break;
            }
            Document doc = searcher.storedFields().document(c.doc());
            SearchHit hit = bareHit(c, doc);
            if (skip.test(hit)) {
                continue;
            }
            chosen.add(new Chosen(hit, doc));
            if (hit.kind().equals("MESSAGE")) {
                days.add(LocalDate.ofInstant(hit.date(), zone));
            }
        }
        Map<LocalDate, UUID> daySummaries = days.isEmpty() ? Map.of() : feed.daySummaries(days, threadId);
        Highlighter highlighter = new Highlighter(new SimpleHTMLFormatter("<mark>", "</mark>"), SearchService::escape,
                new QueryScorer(lexical, SearchIndex.TEXT));
        highlighter.setTextFragmenter(new SimpleFragmenter(SNIPPET_CHARS));
        List<SearchHit> out = new ArrayList<>(chosen.size());
        for (Chosen c : chosen) {
            SearchHit h = c.bare();
            Document d = c.doc();
            UUID summaryId = h.kind().equals("MESSAGE") ? daySummaries.get(LocalDate.ofInstant(h.date(), zone))
                    : uuid(d.get(SearchIndex.SUMMARY_ID));
            out.add(new SearchHit(h.id(), h.kind(), h.role(), h.sub(), h.date(), h.score(),
                    snippet(highlighter, index, d.get(SearchIndex.TEXT)), h.messageId(), summaryId, h.sessionId(),
                    h.externalId()));
        }
        return out;
    }

    /** The hit of {@code c} (stored as {@code d}) without its snippet and day summary (null). */
    private static SearchHit bareHit(Candidate c, Document d) {
        String kind = c.fields().kind();
        boolean message = kind.equals("MESSAGE") || kind.equals("SESSION");
        UUID messageId = uuid(d.get(SearchIndex.MESSAGE_ID));
        UUID id = message ? messageId : UUID.fromString(c.key().substring(2));
        return new SearchHit(id, message ? "MESSAGE" : kind, message ? d.get(SearchIndex.ROLE) : null,
                d.get(SearchIndex.SUB), Instant.ofEpochMilli(c.fields().timeMillis()),
                Math.round(c.score() * 10000) / 10000.0, null, messageId, null, c.fields().session(),
                d.get(SearchIndex.EXTERNAL_ID));
    }

    private static String snippet(Highlighter highlighter, SearchIndex index, String text) {
        try {
            String best = highlighter.getBestFragment(index.analyzer(), SearchIndex.TEXT, text);
            if (best != null) {
                return best.strip();
            }
        } catch (IOException | InvalidTokenOffsetsException e) {
            // fall back to the start of the text
        }
        String head = text.length() <= SNIPPET_CHARS ? text : text.substring(0, SNIPPET_CHARS) + "…";
        return escape(head);
    }

    /** HTML-escapes {@code &}, {@code <}, {@code >}, {@code "} and {@code '} (other characters stay as they are). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static UUID uuid(String value) {
        return value == null ? null : UUID.fromString(value);
    }
}
