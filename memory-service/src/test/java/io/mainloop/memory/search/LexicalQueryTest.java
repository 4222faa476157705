package io.mainloop.memory.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lexical query ({@link LexicalQuery}) over a real index: words of the question standing
 * together rank first, what a person types is never read as query syntax, and a query as long as
 * a pasted document still runs.
 */
class LexicalQueryTest {

    private static final String QUESTION = "What was the name of the restaurant we went to?";

    @TempDir
    Path dir;

    @Test
    void wordsOfTheQuestionStandingTogetherRankFirst() throws Exception {
        try (SearchIndex index = indexOf("together", "We had dinner in the old town after the concert; the"
                + " restaurant's name was Lupa, the pasta was good, the wine was better and the bill was fair.",
                "apart", "Name badges first. The queue was long, slow and cold for an hour, then one restaurant,"
                + " then another restaurant.")) {
            assertEquals(List.of("apart", "together"), ranked(index, query(index, QUESTION, 0)),
                    "BM25 alone prefers the words repeated");
            assertEquals(List.of("together", "apart"), ranked(index, query(index, QUESTION, Ranking.DEFAULT.proximity())),
                    "with proximity, the words side by side");
        }
    }

    @Test
    void operatorsAndQuotesAreWordsNotSyntax() throws Exception {
        try (SearchIndex index = indexOf("pizza", "I like pizza with olives.", "pasta", "Pasta on Fridays.")) {
            assertEquals(List.of("pizza"), ranked(index, query(index, "I do NOT like pizza", 0)),
                    "NOT is a word, so \"like\" still counts");
            assertEquals(java.util.Set.of("pizza", "pasta"), java.util.Set.copyOf(ranked(index, query(index, "pizza OR pasta AND", 0))),
                    "OR and AND are words (stop words), so both messages are found, none required");
            assertEquals(List.of("pizza"), ranked(index, query(index, "\"olives\" (pizza", 0)),
                    "an unbalanced quote or parenthesis is no error");
            assertEquals(List.of(), ranked(index, query(index, "what did I do?", Ranking.DEFAULT.proximity())),
                    "only stop words: nothing, no error");
        }
    }

    @Test
    void aQueryOfThousandsOfWordsStaysWithinTheClauseLimit() throws Exception {
        try (SearchIndex index = indexOf("kayak", "The kayak trip on the lake was the best day of the summer.",
                "other", "Tax forms are due in April.")) {
            StringBuilder pasted = new StringBuilder("kayak lake summer ");
            for (int i = 0; i < 3000; i++) {
                pasted.append("word").append(i).append(' ');
            }

            assertEquals(List.of("kayak"), ranked(index, query(index, pasted.toString(), Ranking.DEFAULT.proximity())),
                    "3,003 distinct words (over 1,024 clauses if each were one) still find the message");
        }
    }

    @Test
    void aRepeatedWordWeighsAsOftenAsItIsRepeated() throws Exception {
        try (SearchIndex index = indexOf("tea", "Green tea in the morning.", "coffee", "Black coffee in the morning.")) {
            assertEquals(List.of("tea", "coffee"), ranked(index, query(index, "tea tea tea coffee", 0)));
            assertEquals(List.of("coffee", "tea"), ranked(index, query(index, "tea coffee coffee coffee", 0)));
        }
    }

    private static Query query(SearchIndex index, String text, double proximity) {
        return LexicalQuery.of(index.analyzer(), text, proximity, Ranking.DEFAULT.proximitySlop());
    }

    /** An index in {@code dir} holding one USER message per id and text pair. */
    private SearchIndex indexOf(String... idsAndTexts) {
        SearchIndex index = SearchIndex.open(dir);
        for (int i = 0; i + 1 < idsAndTexts.length; i += 2) {
            String id = idsAndTexts[i];
            index.replace(id, List.of(new IndexedDoc("M:" + id + "#0", id, "t1", "MESSAGE", "USER", null,
                    Instant.parse("2026-03-02T10:00:00Z"), idsAndTexts[i + 1], "", null, id, null, "s:" + id, null)));
        }
        index.commit(SearchIndex.Cursor.start("test"));
        return index;
    }

    private static List<String> ranked(SearchIndex index, Query query) throws Exception {
        IndexSearcher searcher = index.acquire();
        try {
            TopDocs found = searcher.search(query, 10);
            List<String> refs = new ArrayList<>();
            for (ScoreDoc d : found.scoreDocs) {
                refs.add(searcher.storedFields().document(d.doc).get(SearchIndex.ID).replaceAll("^M:|#0$", ""));
            }
            return refs;
        } finally {
            index.release(searcher);
        }
    }
}
