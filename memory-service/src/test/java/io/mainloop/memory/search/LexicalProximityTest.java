package io.mainloop.memory.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lexical query's proximity clauses ({@link SearchService#lexical}): a message where the
 * question's words stand together ranks above one that only has them far apart, even when that one
 * repeats them more often (which plain BM25 prefers).
 */
class LexicalProximityTest {

    private static final String QUESTION = "What was the name of the restaurant we went to?";

    @TempDir
    Path dir;

    @Test
    void wordsOfTheQuestionStandingTogetherRankFirst() throws Exception {
        try (SearchIndex index = SearchIndex.open(dir)) {
            index.clear();
            add(index, "together", "We had dinner in the old town after the concert; the restaurant's name was Lupa,"
                    + " the pasta was good, the wine was better and the bill was fair.");
            add(index, "apart", "Name badges first. The queue was long, slow and cold for an hour, then one"
                    + " restaurant, then another restaurant.");
            index.commit(SearchIndex.Cursor.start("test"));

            assertEquals(List.of("apart", "together"), ranked(index, 0), "BM25 alone prefers the words repeated");
            assertEquals(List.of("together", "apart"), ranked(index, Ranking.DEFAULT.proximity()),
                    "with proximity, the words side by side");
        }
    }

    private static void add(SearchIndex index, String id, String text) {
        index.replace(id, List.of(new IndexedDoc("M:" + id + "#0", id, "t1", "MESSAGE", "USER", null,
                Instant.parse("2026-03-02T10:00:00Z"), text, "", null, id, null, "s:" + id, null)));
    }

    private static List<String> ranked(SearchIndex index, double proximity) throws Exception {
        IndexSearcher searcher = index.acquire();
        try {
            TopDocs found = searcher.search(SearchService.lexical(index, QUESTION, proximity,
                    Ranking.DEFAULT.proximitySlop()), 10);
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
