package io.mainloop.memory.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * The BM25 query of a search text, built from the analyzer's terms, never parsed: what the owner
 * or the assistant types is words, so {@code AND}, {@code OR}, {@code NOT}, quotes and the like
 * are words too (or stop words), never operators.
 *
 * <p>Each distinct term of the text scores over {@code text} (weight 1) and {@code keys} (0.5),
 * boosted by how often the text repeats it (the same score as one clause per occurrence). With
 * {@code proximity > 0}, each pair of adjacent terms found within {@code slop} positions of each
 * other in {@code text} also scores, as a sloppy phrase ({@link PhraseQuery}: closer pairs score
 * higher) at that weight. A long text stays within Lucene's clause limit (1,024): at most
 * {@value #MAX_TERMS} distinct terms and {@value #MAX_PAIRS} pairs, the first ones of the text.
 */
final class LexicalQuery {

    /** The most distinct terms a query scores. */
    static final int MAX_TERMS = 256;
    /** The most pairs of adjacent terms a query scores. */
    static final int MAX_PAIRS = 32;

    private LexicalQuery() {
    }

    /**
     * The query of {@code text}; one matching nothing when the text has no term but stop words.
     *
     * @param analyzer the index's analyzer ({@link SearchIndex#analyzer()})
     * @param proximity the weight of a pair of adjacent terms relative to a term's; 0 for none
     * @param slop how many positions apart a pair may stand (stop words counted)
     */
    static Query of(Analyzer analyzer, String text, double proximity, int slop) {
        List<String> tokens = analyze(analyzer, text);
        if (tokens.isEmpty()) {
            return new MatchNoDocsQuery();
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String t : tokens) {
            if (counts.size() < MAX_TERMS || counts.containsKey(t)) {
                counts.merge(t, 1, Integer::sum);
            }
        }
        BooleanQuery.Builder terms = new BooleanQuery.Builder();
        counts.forEach((term, count) -> {
            Query both = new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(SearchIndex.TEXT, term)), BooleanClause.Occur.SHOULD)
                    .add(new BoostQuery(new TermQuery(new Term(SearchIndex.KEYS, term)), 0.5f), BooleanClause.Occur.SHOULD)
                    .build();
            terms.add(count == 1 ? both : new BoostQuery(both, count), BooleanClause.Occur.SHOULD);
        });
        Query termQuery = terms.build();
        if (proximity <= 0 || tokens.size() < 2) {
            return termQuery;
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder().add(termQuery, BooleanClause.Occur.SHOULD);
        for (int i = 0; i + 1 < tokens.size() && i < MAX_PAIRS; i++) {
            if (!tokens.get(i).equals(tokens.get(i + 1))) {
                query.add(new BoostQuery(new PhraseQuery(slop, SearchIndex.TEXT, tokens.get(i), tokens.get(i + 1)),
                        (float) proximity), BooleanClause.Occur.SHOULD);
            }
        }
        return query.build();
    }

    /** The terms the analyzer makes of {@code text} for the {@code text} field, in order. */
    private static List<String> analyze(Analyzer analyzer, String text) {
        List<String> tokens = new ArrayList<>();
        try (TokenStream stream = analyzer.tokenStream(SearchIndex.TEXT, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                tokens.add(term.toString());
            }
            stream.end();
        } catch (IOException e) {
            return List.of(); // an analyzer over a String does not fail
        }
        return tokens;
    }
}
