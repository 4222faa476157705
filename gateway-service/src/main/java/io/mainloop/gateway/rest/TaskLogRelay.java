package io.mainloop.gateway.rest;

import io.mainloop.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpRequest;

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

    TaskLogRelay(GatewayConfig config) {
        this.relay = BodyRelay.of("agent", config);
    }

    /** The browser's answer for the log of task {@code taskId} (a UUID) of {@code threadId}. */
    Response relay(String threadId, String taskId) {
        URI uri = relay.threadUri(threadId, "/tasks/" + BodyRelay.encode(taskId) + "/log");
        Response answer = relay.relay(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .timeout(relay.readTimeout()).GET(), "agent-service", "the task's log", true);
        if (answer.getStatus() != 200) {
            return answer;
        }
        return Response.fromResponse(answer).type("text/event-stream").header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no").build();
    }
}
