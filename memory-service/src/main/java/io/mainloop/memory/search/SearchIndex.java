package io.mainloop.memory.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * This replica's Lucene index: BM25 over {@code text} and {@code keys} (EnglishAnalyzer: Porter
 * stemming, possessives, {@link #STOP_WORDS}) and HNSW over {@code vec} (dot product of unit vectors);
 * {@code id}, {@code kind}, {@code session} and {@code time} also as doc values, which ranking reads
 * ({@link CandidateFields}). Each commit carries the feed cursor and the database epoch it was built
 * from ({@link Cursor}), so index and cursor never disagree after a crash, and the document layout
 * ({@link #LAYOUT}): an index of another layout reads as empty, so it is rebuilt.
 */
public final class SearchIndex implements AutoCloseable {

    static final String ID = "id";
    static final String REF = "ref";
    static final String THREAD = "thread";
    static final String KIND = "kind";
    static final String ROLE = "role";
    static final String SUB = "sub";
    static final String TIME = "time";
    static final String TEXT = "text";
    static final String KEYS = "keys";
    static final String VEC = "vec";
    static final String MESSAGE_ID = "message_id";
    static final String SUMMARY_ID = "summary_id";
    static final String SESSION = "session";
    static final String EXTERNAL_ID = "external_id";

    private static final String CURSOR_XID = "cursor.xid";
    private static final String CURSOR_SEQ = "cursor.seq";
    private static final String EPOCH = "epoch";
    private static final String LAYOUT_KEY = "layout";
    /** The version of the document layout; raise it when {@link #document} changes. */
    static final String LAYOUT = "2";

    /** The feed position an index commit reflects, and the database it came from. */
    public record Cursor(long xid, long seq, String epoch) {

        /** Before the first feed row. */
        public static Cursor start(String epoch) {
            return new Cursor(0, 0, epoch);
        }
    }

    private final Path dir;
    /**
     * Stop words: Lucene's English set plus pronouns, question words and auxiliaries, which carry
     * nothing in a question ("what did I say about ...") and only add noise to BM25.
     */
    static final CharArraySet STOP_WORDS;

    static {
        CharArraySet stop = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
        stop.addAll(List.of("i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "you", "your", "yours",
                "he", "him", "his", "she", "her", "hers", "its", "them", "what", "which", "who", "whom", "whose",
                "when", "where", "why", "how", "do", "does", "did", "done", "doing", "have", "has", "had", "having",
                "am", "were", "been", "being", "about", "can", "could", "would", "should", "shall", "may", "might",
                "must", "so", "than", "too", "very", "just", "also", "any", "some", "all", "from", "up", "out",
                "over", "again", "once", "here", "both", "each", "few", "more", "most", "other", "own", "same",
                "only", "because", "until", "while", "between", "through", "during", "before", "after", "above",
                "below", "down", "off", "under", "further", "'s", "s", "t", "don", "im", "ive", "let", "ok"));
        STOP_WORDS = CharArraySet.unmodifiableSet(stop);
    }

    private final Analyzer analyzer = new EnglishAnalyzer(STOP_WORDS);
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;

    private SearchIndex(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.directory = FSDirectory.open(dir);
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setSimilarity(new BM25Similarity())
                .setRAMBufferSizeMB(64);
        this.writer = new IndexWriter(directory, config);
        this.searchers = new SearcherManager(writer, new SearcherFactory());
    }

    /** Opens (or creates) the index in {@code dir}. */
    public static SearchIndex open(Path dir) {
        try {
            return new SearchIndex(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index in " + dir, e);
        }
    }

    /** The analyzer used for {@code text} and {@code keys}, for queries and highlighting. */
    public Analyzer analyzer() {
        return analyzer;
    }

    /** Where it lives. */
    public Path dir() {
        return dir;
    }

    /** The cursor of the last commit, or null for a new or empty index, or one of another {@link #LAYOUT}. */
    public Cursor committedCursor() {
        Map<String, String> data = commitData();
        if (!data.containsKey(CURSOR_SEQ) || !LAYOUT.equals(data.get(LAYOUT_KEY))) {
            return null;
        }
        return new Cursor(Long.parseLong(data.get(CURSOR_XID)), Long.parseLong(data.get(CURSOR_SEQ)), data.get(EPOCH));
    }

    /** Whether it holds a commit written with another {@link #LAYOUT} (an earlier version of mainloop). */
    public boolean otherLayout() {
        Map<String, String> data = commitData();
        return data.containsKey(CURSOR_SEQ) && !LAYOUT.equals(data.get(LAYOUT_KEY));
    }

    private Map<String, String> commitData() {
        Map<String, String> data = new HashMap<>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(e -> data.put(e.getKey(), e.getValue()));
        }
        return data;
    }

    /** Replaces every document whose {@code ref} is {@code ref} with {@code docs} (none: deletes). */
    public void replace(String ref, List<IndexedDoc> docs) {
        try {
            writer.deleteDocuments(new Term(REF, ref));
            for (IndexedDoc d : docs) {
                writer.addDocument(document(d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes everything (a rebuild from the start of the feed follows). */
    public void clear() {
        try {
            writer.deleteAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes the changes durable with {@code cursor} and visible to searches. */
    public void commit(Cursor cursor) {
        try {
            writer.setLiveCommitData(Map.of(CURSOR_XID, Long.toString(cursor.xid()), CURSOR_SEQ,
                    Long.toString(cursor.seq()), EPOCH, cursor.epoch(), LAYOUT_KEY, LAYOUT).entrySet());
            writer.commit();
            searchers.maybeRefresh();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A searcher over the last refresh; give it back with {@link #release}. */
    public IndexSearcher acquire() {
        try {
            IndexSearcher s = searchers.acquire();
            s.setSimilarity(new BM25Similarity());
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives back a searcher from {@link #acquire}. */
    public void release(IndexSearcher searcher) {
        try {
            searchers.release(searcher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the merges running in the background have finished (those they start in turn
     * included): after a rebuild, merging the flushed segments (their HNSW graphs) goes on for
     * minutes at a million messages and competes with searches for the cores. For benchmarks.
     */
    public void awaitMerges() {
        if (writer.getConfig().getMergeScheduler() instanceof ConcurrentMergeScheduler merges) {
            merges.sync();
        }
        refresh();
    }

    /**
     * Lets searches see the segments merged in the background since the last commit (cheap when
     * nothing changed), so they search fewer, larger segments and the merged-away files are freed.
     */
    public void refresh() {
        try {
            searchers.maybeRefresh();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many segments its last refresh has (each searched on its own, its own HNSW graph). */
    public int segments() {
        IndexSearcher searcher = acquire();
        try {
            return searcher.getIndexReader().leaves().size();
        } finally {
            release(searcher);
        }
    }

    /** How many documents it holds (all kinds, chunks counted). */
    public int size() {
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            return reader.numDocs();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many searchable documents have {@code ref} (a message's chunks, a summary, a memory). */
    public int countRef(String ref) {
        IndexSearcher searcher = acquire();
        try {
            return searcher.count(new org.apache.lucene.search.TermQuery(new Term(REF, ref)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            release(searcher);
        }
    }

    /** Its size on disk, bytes. */
    public long bytesOnDisk() {
        try (var files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Document document(IndexedDoc d) {
        Document doc = new Document();
        doc.add(new StringField(ID, d.id(), Field.Store.YES));
        doc.add(new BinaryDocValuesField(ID, new BytesRef(d.id())));
        doc.add(new StringField(REF, d.ref(), Field.Store.NO));
        doc.add(new StringField(THREAD, d.threadId(), Field.Store.NO));
        doc.add(new StringField(KIND, d.kind(), Field.Store.YES));
        doc.add(new SortedDocValuesField(KIND, new BytesRef(d.kind())));
        if (d.role() != null) {
            doc.add(new StringField(ROLE, d.role(), Field.Store.YES));
        }
        if (d.sub() != null) {
            doc.add(new StringField(SUB, d.sub(), Field.Store.YES));
        }
        long millis = d.time().toEpochMilli();
        doc.add(new LongPoint(TIME, millis));
        doc.add(new StoredField(TIME, millis));
        doc.add(new NumericDocValuesField(TIME, millis));
        doc.add(new TextField(TEXT, d.text(), Field.Store.YES));
        if (d.keys() != null && !d.keys().isBlank()) {
            doc.add(new TextField(KEYS, d.keys(), Field.Store.NO));
        }
        if (d.vector() != null) {
            doc.add(new KnnFloatVectorField(VEC, d.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        }
        store(doc, MESSAGE_ID, d.messageId());
        store(doc, SUMMARY_ID, d.summaryId());
        if (d.sessionId() != null) {
            doc.add(new StringField(SESSION, d.sessionId(), Field.Store.YES));
            doc.add(new SortedDocValuesField(SESSION, new BytesRef(d.sessionId())));
        }
        store(doc, EXTERNAL_ID, d.externalId());
        return doc;
    }

    private static void store(Document doc, String field, String value) {
        if (value != null) {
            doc.add(new StoredField(field, value));
        }
    }

    /** Instant of a stored {@code time}. */
    static Instant time(Document doc) {
        return Instant.ofEpochMilli(doc.getField(TIME).numericValue().longValue());
    }
}
