package io.mainloop.memory.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;

/**
 * Writes, per LongMemEval question, the raw retrieval scores of every USER message chunk and
 * session document of its thread (BM25 of the question, cosine to the query vector, session,
 * time), one JSON line each, so ranking variants can be scored offline from one import
 * ({@code -Dbench.lme.dump=<file>}).
 */
final class LmeFeatures {

    private LmeFeatures() {
    }

    /** Appends one JSON line for a question to {@code out}. */
    static void dump(Writer out, ObjectMapper json, SearchIndex index, Embedder embedder, String thread,
                     Map<String, Object> question, String text, Instant asOf, ZoneId zone) throws IOException {
        float[] vector = embedder.embedQuery(SearchService.denseText(text, PeriodResolver.resolve(text, asOf, zone),
                Ranking.DEFAULT));
        float[] plain = embedder.embedPassages(List.of(text)).getFirst();
        Query lexical = LexicalQuery.of(index.analyzer(), text, Ranking.DEFAULT.proximity(),
                Ranking.DEFAULT.proximitySlop());
        Query textOnly = new org.apache.lucene.util.QueryBuilder(index.analyzer()).createBooleanQuery(SearchIndex.TEXT, text);
        Query keysOnly = new org.apache.lucene.util.QueryBuilder(index.analyzer()).createBooleanQuery(SearchIndex.KEYS, text);
        IndexSearcher searcher = index.acquire();
        try {
            Map<String, Object> line = new LinkedHashMap<>(question);
            PeriodResolver.resolve(text, asOf, zone).ifPresent(p ->
                    line.put("period", List.of(p.from().toEpochMilli(), p.to().toEpochMilli())));
            line.put("asOf", asOf.toEpochMilli());
            List<Query> lexicals = java.util.Arrays.asList(lexical, textOnly, keysOnly);
            line.put("messages", scores(searcher, lexicals, vector, plain, filter(thread, "MESSAGE", "USER")));
            line.put("sessions", scores(searcher, lexicals, vector, plain, filter(thread, "SESSION", null)));
            out.write(json.writeValueAsString(line));
            out.write('\n');
        } finally {
            index.release(searcher);
        }
    }

    private static Query filter(String thread, String kind, String role) {
        BooleanQuery.Builder b = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(SearchIndex.THREAD, thread)), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(SearchIndex.KIND, kind)), BooleanClause.Occur.FILTER);
        if (role != null) {
            b.add(new TermQuery(new Term(SearchIndex.ROLE, role)), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    /**
     * Every document of {@code filter}: id, message key, external id, session, time, bm25 (the
     * service's query), cos (query with bge's instruction), cos without it, bm25 of text only, of
     * keys only, and of the service's query with k1 1.2, b 0.4 and k1 0.9, b 0.75.
     */
    private static List<List<Object>> scores(IndexSearcher searcher, List<Query> lexicals, float[] vector,
                                             float[] plain, Query filter) throws IOException {
        int n = Math.max(1, searcher.count(filter));
        Map<Integer, double[]> s = new HashMap<>();
        java.util.function.IntFunction<double[]> fresh = k -> new double[] {0, -1, -1, 0, 0, 0, 0};
        for (int q = 0; q < lexicals.size(); q++) {
            if (lexicals.get(q) == null) {
                continue;
            }
            for (ScoreDoc d : searcher.search(new BooleanQuery.Builder().add(lexicals.get(q), BooleanClause.Occur.MUST)
                    .add(filter, BooleanClause.Occur.FILTER).build(), n).scoreDocs) {
                s.computeIfAbsent(d.doc, fresh::apply)[q == 0 ? 0 : q + 2] = d.score;
            }
        }
        org.apache.lucene.search.similarities.Similarity original = searcher.getSimilarity();
        float[][] params = {{1.2f, 0.4f}, {0.9f, 0.75f}};
        for (int p = 0; p < params.length; p++) {
            searcher.setSimilarity(new org.apache.lucene.search.similarities.BM25Similarity(params[p][0], params[p][1]));
            for (ScoreDoc d : searcher.search(new BooleanQuery.Builder().add(lexicals.get(0), BooleanClause.Occur.MUST)
                    .add(filter, BooleanClause.Occur.FILTER).build(), n).scoreDocs) {
                s.computeIfAbsent(d.doc, fresh::apply)[5 + p] = d.score;
            }
        }
        searcher.setSimilarity(original);
        for (ScoreDoc d : searcher.search(new KnnFloatVectorQuery(SearchIndex.VEC, vector, n, filter), n).scoreDocs) {
            s.computeIfAbsent(d.doc, fresh::apply)[1] = 2.0 * d.score - 1.0;
        }
        for (ScoreDoc d : searcher.search(new KnnFloatVectorQuery(SearchIndex.VEC, plain, n, filter), n).scoreDocs) {
            s.computeIfAbsent(d.doc, fresh::apply)[2] = 2.0 * d.score - 1.0;
        }
        for (ScoreDoc d : searcher.search(filter, n).scoreDocs) {
            s.computeIfAbsent(d.doc, fresh::apply);
        }
        List<List<Object>> out = new ArrayList<>();
        for (var e : s.entrySet()) {
            Document doc = searcher.storedFields().document(e.getKey());
            List<Object> row = new ArrayList<>();
            row.add(doc.get(SearchIndex.ID));
            row.add(doc.get(SearchIndex.EXTERNAL_ID));
            row.add(doc.get(SearchIndex.SESSION));
            row.add(SearchIndex.time(doc).toEpochMilli());
            for (double v : e.getValue()) {
                row.add(v);
            }
            out.add(row);
        }
        return out;
    }
}
