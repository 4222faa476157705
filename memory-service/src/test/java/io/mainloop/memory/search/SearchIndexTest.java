package io.mainloop.memory.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index on disk across an upgrade: one written by an earlier version of mainloop is rebuilt, not misread. */
class SearchIndexTest {

    @TempDir
    Path dir;

    @Test
    void anIndexOfAnEarlierLayoutIsRebuiltAndThenSearchable() throws Exception {
        // what mainloop before doc values wrote: a complete commit (cursor and epoch), no layout
        try (IndexWriter old = new IndexWriter(FSDirectory.open(dir), new IndexWriterConfig(new StandardAnalyzer()))) {
            Document doc = new Document();
            doc.add(new StringField(SearchIndex.ID, "M:old#0", Field.Store.YES));
            doc.add(new StringField(SearchIndex.KIND, "MESSAGE", Field.Store.YES));
            old.addDocument(doc);
            old.setLiveCommitData(Map.of("cursor.xid", "7", "cursor.seq", "42", "epoch", "db-1").entrySet());
            old.commit();
        }

        try (SearchIndex index = SearchIndex.open(dir)) {
            assertNull(index.committedCursor(), "an earlier layout reads as empty, so the indexer rebuilds it");
            assertTrue(index.otherLayout());
            index.clear();
            index.replace("m1", List.of(new IndexedDoc("M:m1#0", "m1", "t1", "MESSAGE", "USER", null,
                    Instant.parse("2026-03-02T10:00:00Z"), "we chose PostgreSQL", "", null, "m1", null, "s:1", null)));
            index.commit(new SearchIndex.Cursor(7, 43, "db-1"));
            assertEquals(new SearchIndex.Cursor(7, 43, "db-1"), index.committedCursor());
            assertFalse(index.otherLayout());

            IndexSearcher searcher = index.acquire();
            try {
                TopDocs found = searcher.search(new TermQuery(new Term(SearchIndex.THREAD, "t1")), 10);
                assertEquals(1, found.scoreDocs.length);
                int doc = found.scoreDocs[0].doc;
                CandidateFields fields = CandidateFields.read(searcher, List.of(doc)).get(doc);
                assertNotNull(fields);
                assertEquals(new CandidateFields("M:m1#0", "MESSAGE", "s:1",
                        Instant.parse("2026-03-02T10:00:00Z").toEpochMilli()), fields);
                assertEquals("M:m1", fields.key());
            } finally {
                index.release(searcher);
            }
        }
    }
}
