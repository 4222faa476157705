package io.mainloop.memory.search;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.IndexSearcher;

/**
 * What ranking needs of a candidate document, read from doc values rather than its stored
 * document: a stored document is decompressed with its whole block (long texts), which for the
 * hundreds of candidates of one search cost more than the search itself at a million messages.
 *
 * @param id the document's id ({@code M:<message>#<chunk>}, {@code S:...}, {@code Y:...}, {@code R:...})
 * @param kind MESSAGE, SESSION, SUMMARY or MEMORY
 * @param session the session key of a message or session document, else null
 * @param timeMillis when it was written, epoch ms
 */
record CandidateFields(String id, String kind, String session, long timeMillis) {

    /** The item it stands for: the message, summary or memory id (a message's chunks share it). */
    String key() {
        int hash = id.indexOf('#');
        return hash < 0 ? id : id.substring(0, hash);
    }

    /** The fields of each of {@code docs} (top-level doc ids of {@code searcher}'s reader). */
    static Map<Integer, CandidateFields> read(IndexSearcher searcher, Collection<Integer> docs) throws IOException {
        // doc values are read forwards, one leaf at a time
        int[] sorted = docs.stream().mapToInt(Integer::intValue).sorted().toArray();
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        Map<Integer, CandidateFields> out = new HashMap<>(sorted.length * 2);
        int leafIndex = -1;
        BinaryDocValues ids = null;
        SortedDocValues kinds = null;
        SortedDocValues sessions = null;
        NumericDocValues times = null;
        int docBase = 0;
        for (int doc : sorted) {
            int sub = ReaderUtil.subIndex(doc, leaves);
            if (sub != leafIndex) {
                leafIndex = sub;
                LeafReader leaf = leaves.get(sub).reader();
                docBase = leaves.get(sub).docBase;
                ids = DocValues.getBinary(leaf, SearchIndex.ID);
                kinds = DocValues.getSorted(leaf, SearchIndex.KIND);
                sessions = DocValues.getSorted(leaf, SearchIndex.SESSION);
                times = DocValues.getNumeric(leaf, SearchIndex.TIME);
            }
            int local = doc - docBase;
            if (!ids.advanceExact(local) || !kinds.advanceExact(local) || !times.advanceExact(local)) {
                throw new IllegalStateException("search document " + doc + " lacks its doc values");
            }
            String session = sessions.advanceExact(local) ? sessions.lookupOrd(sessions.ordValue()).utf8ToString() : null;
            out.put(doc, new CandidateFields(ids.binaryValue().utf8ToString(),
                    kinds.lookupOrd(kinds.ordValue()).utf8ToString(), session, times.longValue()));
        }
        return out;
    }
}
