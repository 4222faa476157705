package io.mainloop.memory.search;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Float vectors: unit length, means, and the byte form stored in {@code message.embedding}. */
public final class Vectors {

    private Vectors() {
    }

    /** {@code v} scaled to unit length (a copy; a zero vector stays zero). */
    public static float[] normalized(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float[] out = v.clone();
        if (norm > 0) {
            float inv = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < out.length; i++) {
                out[i] *= inv;
            }
        }
        return out;
    }

    /** The unit-length mean of {@code vectors}, or null if there are none. */
    public static float[] mean(List<float[]> vectors) {
        if (vectors.isEmpty()) {
            return null;
        }
        float[] sum = new float[vectors.getFirst().length];
        for (float[] v : vectors) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += v[i];
            }
        }
        return normalized(sum);
    }

    /** Dot product (cosine for unit vectors). */
    public static float dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** {@code vectors} as little-endian float32, back to back. */
    public static byte[] toBytes(List<float[]> vectors) {
        ByteBuffer buf = ByteBuffer.allocate(vectors.size() * Embedder.DIMENSION * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] v : vectors) {
            buf.asFloatBuffer().put(v);
            buf.position(buf.position() + v.length * 4);
        }
        return buf.array();
    }

    /** The vectors stored by {@link #toBytes}; empty for null. */
    public static List<float[]> fromBytes(byte[] bytes) {
        List<float[]> out = new ArrayList<>();
        if (bytes == null) {
            return out;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.remaining() >= Embedder.DIMENSION * 4) {
            float[] v = new float[Embedder.DIMENSION];
            buf.asFloatBuffer().get(v);
            buf.position(buf.position() + Embedder.DIMENSION * 4);
            out.add(v);
        }
        return out;
    }
}
