package io.mainloop.gateway.rest;

import io.mainloop.gateway.config.GatewayConfig;
import io.mainloop.support.rest.Problem;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Relays one exchange with a service behind the gateway (memory- or agent-service) without
 * holding its body: an upload is streamed to the service as the browser sends it, a 2xx answer's
 * body streamed back as the service writes it (a task's live log, an export, a backup archive).
 * Before a body streams, the service's answer decides: a 2xx is streamed with its
 * {@code Content-Type} and {@code Content-Disposition}; another status is passed on with its
 * problem body (at most 64 KiB); no answer within the answer timeout is a 503 problem. The
 * internal API token goes on every request. A plain JDK HTTP client (HTTP/1.1), so nothing is
 * buffered on the way; each relayed body holds one worker thread while it streams.
 */
final class BodyRelay {

    private static final Logger LOG = Logger.getLogger(BodyRelay.class);
    private static final int MAX_PROBLEM_BYTES = 64 * 1024;

    private final HttpClient http;
    private final String baseUrl;
    private final Duration readTimeout;
    private final Optional<String> authorization;

    private BodyRelay(String baseUrl, Duration connectTimeout, Duration readTimeout, Optional<String> authorization) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.readTimeout = readTimeout;
        this.authorization = authorization;
    }

    /**
     * A relay to the service of the REST client {@code client} ({@code quarkus.rest-client.<client>.url},
     * {@code .connect-timeout} and {@code .read-timeout}, ms; defaults 2000 and 10000), sending the
     * internal API token of {@code config}.
     */
    static BodyRelay of(String client, GatewayConfig config) {
        Config all = ConfigProvider.getConfig();
        String prefix = "quarkus.rest-client." + client + ".";
        return new BodyRelay(all.getValue(prefix + "url", String.class),
                Duration.ofMillis(all.getOptionalValue(prefix + "connect-timeout", Long.class).orElse(2000L)),
                Duration.ofMillis(all.getOptionalValue(prefix + "read-timeout", Long.class).orElse(10000L)),
                InternalApiToken.header(config));
    }

    /** How long a download or a live stream waits for the service's answer headers ({@code read-timeout}). */
    Duration readTimeout() {
        return readTimeout;
    }

    /**
     * The service's URL of {@code pathAndQuery} (starting with {@code /}, already encoded) under
     * thread {@code threadId}'s API, {@code /api/threads/{threadId}}.
     */
    URI threadUri(String threadId, String pathAndQuery) {
        return URI.create(baseUrl + "/api/threads/" + encode(threadId) + pathAndQuery);
    }

    /**
     * Sends {@code request} (the token added) and answers the browser with the service's answer.
     *
     * @param request the request to the service; its timeout bounds the wait for the answer's
     *        headers (an upload's sending included), not the streaming of its body
     * @param service the service's name, for the log
     * @param what the data, for the 503 detail ("the export")
     * @param flushEach whether each chunk is flushed to the browser as it arrives (a live stream)
     *        rather than when the output buffer fills (a download)
     */
    Response relay(HttpRequest.Builder request, String service, String what, boolean flushEach) {
        authorization.ifPresent(h -> request.header("Authorization", h));
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            LOG.warnf("no answer from %s for %s: %s", service, what, e.toString());
            return Forwarding.unavailable(what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Forwarding.unavailable(what);
        }
        if (answer.statusCode() / 100 != 2) {
            return passOn(answer);
        }
        // closed when the browser's response ends or its connection closes, also when the body is
        // never written (a HEAD request)
        onResponseEnd(() -> closeQuietly(answer.body()));
        StreamingOutput body = out -> copy(answer.body(), out, flushEach, what);
        Response.ResponseBuilder out = Response.status(answer.statusCode()).entity(body);
        answer.headers().firstValue("Content-Type").ifPresent(out::type);
        answer.headers().firstValue("Content-Disposition").ifPresent(v -> out.header("Content-Disposition", v));
        return out.build();
    }

    /**
     * Copies until the service's body ends. The browser going away ends the copy quietly. The
     * service's body breaking mid-way ends a live stream too, but fails a download, so its
     * connection is cut rather than ended as if complete: a partial export never passes for a whole one.
     */
    private static void copy(InputStream upstream, OutputStream out, boolean flushEach, String what) throws IOException {
        try (InputStream in = upstream) {
            byte[] buffer = new byte[flushEach ? 8192 : 65536];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    LOG.debugf("the service's body of %s broke: %s", what, e.toString());
                    if (flushEach) {
                        return;
                    }
                    throw e;
                }
                if (n < 0) {
                    return;
                }
                try {
                    out.write(buffer, 0, n);
                    if (flushEach) {
                        out.flush();
                    }
                } catch (IOException e) {
                    LOG.debugf("the browser left %s: %s", what, e.toString());
                    return;
                }
            }
        }
    }

    /**
     * Runs {@code action} when the current request's response ends or its connection closes; at
     * once when there is no current request (nothing will read the body).
     */
    private static void onResponseEnd(Runnable action) {
        RoutingContext current = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        if (current == null) {
            action.run();
        } else {
            current.addEndHandler(ended -> action.run());
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            LOG.debugf("closing a relayed body: %s", e.toString());
        }
    }

    /**
     * The service's error answer as it was (a problem body stays one); an error body that is not
     * JSON (an HTML 404 of a proxy, say) becomes a problem with the same status.
     */
    private static Response passOn(HttpResponse<InputStream> answer) {
        return passOn(answer.statusCode(), answer.headers().firstValue("Content-Type"), answer.body());
    }

    /**
     * {@link #passOn(HttpResponse)} of an answer's parts: its status, Content-Type and body (read up
     * to 64 KiB, then closed).
     */
    static Response passOn(int status, Optional<String> type, InputStream answerBody) {
        String body;
        try (InputStream in = answerBody) {
            body = new String(in.readNBytes(MAX_PROBLEM_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        return Forwarding.answered(status, type.orElse(null), body, Problem.MEDIA_TYPE);
    }

    /** {@code value} as one URL path segment or query value (percent-encoded, spaces as {@code %20}). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
