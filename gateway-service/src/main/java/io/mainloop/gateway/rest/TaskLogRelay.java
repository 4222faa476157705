package io.mainloop.gateway.rest;

import io.mainloop.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Relays a task's live log ({@code GET /api/threads/{t}/tasks/{id}/log} of agent-service,
 * server-sent events) to the browser byte for byte ({@link BodyRelay}): each chunk is written and
 * flushed as it arrives, and the browser's stream ends when agent-service's ends (or breaks).
 * Before the stream starts, agent-service's answer decides: 200 is streamed, another status is
 * passed on with its problem body, no answer is a 503 problem. Each open log holds one worker
 * thread while it streams (one owner: a handful at most).
 */
@ApplicationScoped
public class TaskLogRelay {

    private final BodyRelay relay;
    private final Duration readTimeout;

    @jakarta.inject.Inject
    io.quarkus.vertx.http.runtime.CurrentVertxRequest request;

    TaskLogRelay(GatewayConfig config,
                 @ConfigProperty(name = "quarkus.rest-client.agent.url") String agentUrl,
                 @ConfigProperty(name = "quarkus.rest-client.agent.connect-timeout", defaultValue = "2000") long connectMs,
                 @ConfigProperty(name = "quarkus.rest-client.agent.read-timeout", defaultValue = "10000") long readMs) {
        this.relay = new BodyRelay(agentUrl, Duration.ofMillis(connectMs), InternalApiToken.header(config));
        this.readTimeout = Duration.ofMillis(readMs);
    }

    /** The browser's answer for the log of task {@code taskId} (a UUID) of {@code threadId}. */
    Response relay(String threadId, String taskId) {
        URI uri = relay.uri("/api/threads/" + BodyRelay.encode(threadId) + "/tasks/" + BodyRelay.encode(taskId) + "/log");
        Response answer = relay.relay(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .timeout(readTimeout).GET(), "agent-service", "the task's log", true, onEnd());
        if (answer.getStatus() != 200) {
            return answer;
        }
        return Response.fromResponse(answer).type("text/event-stream").header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no").build();
    }

    private Consumer<Runnable> onEnd() {
        return BodyRelay.onEndOf(request.getCurrent());
    }
}
