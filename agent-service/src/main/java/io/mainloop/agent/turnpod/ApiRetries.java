package io.mainloop.agent.turnpod;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Kubernetes API reads asked again when they fail without an answer from the API server (its
 * connection closed or refused under the request: no HTTP status), where asking again may succeed.
 */
final class ApiRetries {

    private static final Logger LOG = Logger.getLogger(ApiRetries.class);

    /** Tries in all. */
    static final int ATTEMPTS = 3;

    private ApiRetries() {
    }

    /**
     * {@code read}'s result, asking again (up to {@value #ATTEMPTS} times in all) after a
     * {@link #transportFailure}.
     *
     * @throws RuntimeException what the last try threw, or at once an error the API server answered
     */
    static <T> T retried(Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !transportFailure(e)) {
                    throw e;
                }
                LOG.debugf("a Kubernetes API read failed (%s); asking again", e.getMessage());
            }
        }
    }

    /**
     * Whether {@code e} failed without an answer from the API server (an {@link IOException} or
     * Vert.x's {@code HttpClosedException} in its causes, or a client exception with no HTTP status).
     */
    static boolean transportFailure(RuntimeException e) {
        if (e instanceof KubernetesClientException k && k.getCode() != 0) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof io.vertx.core.http.HttpClosedException) {
                return true;
            }
        }
        return e instanceof KubernetesClientException;
    }
}
