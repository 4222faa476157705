package io.mainloop.gateway.rest;

import io.mainloop.support.rest.Problem;
import jakarta.enterprise.context.ApplicationScoped;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Relays a task's live log ({@code GET /api/threads/{t}/tasks/{id}/log} of agent-service,
 * server-sent events) to the browser byte for byte: each chunk is written and flushed as it
 * arrives, and the browser's stream ends when agent-service's ends (or breaks). Before the stream
 * starts, agent-service's answer decides: 200 is streamed, another status is passed on with its
 * problem body, no answer is a 503 problem. A plain JDK HTTP client, so nothing is buffered on the
 * way. Each open log holds one worker thread while it streams (one owner: a handful at most).
 */
@ApplicationScoped
public class TaskLogRelay {

    private static final Logger LOG = Logger.getLogger(TaskLogRelay.class);
    private static final int MAX_PROBLEM_BYTES = 64 * 1024;

    private final HttpClient http;
    private final String agentUrl;
    private final Duration readTimeout;

    @jakarta.inject.Inject
    io.mainloop.gateway.config.GatewayConfig config;

    TaskLogRelay(@ConfigProperty(name = "quarkus.rest-client.agent.url") String agentUrl,
                 @ConfigProperty(name = "quarkus.rest-client.agent.connect-timeout", defaultValue = "2000") long connectMs,
                 @ConfigProperty(name = "quarkus.rest-client.agent.read-timeout", defaultValue = "10000") long readMs) {
        this.agentUrl = agentUrl.endsWith("/") ? agentUrl.substring(0, agentUrl.length() - 1) : agentUrl;
        this.readTimeout = Duration.ofMillis(readMs);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(connectMs)).build();
    }

    /** The browser's answer for the log of task {@code taskId} (a UUID) of {@code threadId}. */
    Response relay(String threadId, String taskId) {
        URI uri = URI.create(agentUrl + "/api/threads/" + segment(threadId) + "/tasks/" + segment(taskId) + "/log");
        // the timeout bounds the wait for agent-service's response headers, not the stream
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        InternalApiToken.header(config).ifPresent(h -> builder.header("Authorization", h));
        HttpRequest request = builder.timeout(readTimeout).GET().build();
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            LOG.warnf("agent-service did not answer for a task's log: %s", e.toString());
            return Forwarding.unavailable("the task's log");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Forwarding.unavailable("the task's log");
        }
        if (answer.statusCode() != 200) {
            return passOn(answer);
        }
        StreamingOutput stream = out -> copy(answer.body(), out);
        return Response.ok(stream, "text/event-stream").header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no").build();
    }

    /** Copies until agent-service's stream ends or either side breaks; flushes every chunk. */
    private static void copy(InputStream upstream, OutputStream out) throws IOException {
        try (InputStream in = upstream) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // agent-service went away mid-stream, or the browser did: the stream just ends
            LOG.debugf("a task's log relay ended: %s", e.toString());
        }
    }

    private static Response passOn(HttpResponse<InputStream> answer) {
        String body;
        try (InputStream in = answer.body()) {
            body = new String(in.readNBytes(MAX_PROBLEM_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            body = "";
        }
        if (body.isEmpty()) {
            return Response.status(answer.statusCode()).build();
        }
        String type = answer.headers().firstValue("Content-Type").orElse(Problem.MEDIA_TYPE);
        return Response.status(answer.statusCode()).type(type).entity(body).build();
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
