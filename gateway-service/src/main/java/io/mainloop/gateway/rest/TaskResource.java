package io.mainloop.gateway.rest;

import static io.mainloop.gateway.rest.Forwarding.forward;
import static io.mainloop.gateway.rest.Forwarding.uuid;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The caller's sub-agent tasks and inbox (docs/tasks.md), each forwarded to agent-service's
 * {@code /api/threads/{thread}/...} for the caller's thread ({@link CallerThread}). Bodies go through
 * unchanged; agent-service's status and problem body come back unchanged (it validates requests
 * and phases: 400, 404, 409); agent-service unreachable: 503 problem. Authenticated callers only, as all of
 * {@code /api} ({@link OwnerFilter}). What is checked here: a task id must be a UUID (400).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class TaskResource {

    @Inject
    CallerThread caller;

    @Inject
    @RestClient
    AgentApiClient agent;

    @Inject
    TaskLogRelay logs;

    /** {@code POST /api/tasks} with a {@code TaskRequest}: 201 with the {@code Task} (source {@code api}). */
    @POST
    @Path("/tasks")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(String body) {
        return tasks(() -> agent.start(caller.threadId(), body));
    }

    /** {@code GET /api/tasks}: {@code {"tasks"}}, newest first. */
    @GET
    @Path("/tasks")
    public Response list() {
        return tasks(() -> agent.tasks(caller.threadId()));
    }

    /** {@code GET /api/tasks/{id}}: the {@code Task}. */
    @GET
    @Path("/tasks/{id}")
    public Response task(@PathParam("id") String id) {
        return uuid(id) == null ? MemoryResource.notAUuid("id") : tasks(() -> agent.task(caller.threadId(), id));
    }

    /**
     * {@code GET /api/tasks/{id}/log}: server-sent events, {@code line} (one stream-json line each,
     * from the start, live while it runs) then {@code end} (the final {@code Task}), relayed as
     * agent-service sends them; the stream ends when agent-service's ends.
     */
    @GET
    @Path("/tasks/{id}/log")
    @Produces({MediaType.SERVER_SENT_EVENTS, MediaType.APPLICATION_JSON})
    public Response log(@PathParam("id") String id) {
        return uuid(id) == null ? MemoryResource.notAUuid("id") : logs.relay(caller.threadId(), id);
    }

    /** {@code POST /api/tasks/{id}/cancel}: 202 with the {@code Task}; an ended task: 409. */
    @POST
    @Path("/tasks/{id}/cancel")
    public Response cancel(@PathParam("id") String id) {
        return uuid(id) == null ? MemoryResource.notAUuid("id") : tasks(() -> agent.cancel(caller.threadId(), id));
    }

    /** {@code POST /api/tasks/{id}/retry}: 202 with the {@code Task}; not Failed or Cancelled: 409. */
    @POST
    @Path("/tasks/{id}/retry")
    public Response retry(@PathParam("id") String id) {
        return uuid(id) == null ? MemoryResource.notAUuid("id") : tasks(() -> agent.retry(caller.threadId(), id));
    }

    /** {@code POST /api/tasks/{id}/answer} with {@code {"text"}}: 202 with the {@code Task}; not NeedsInput: 409. */
    @POST
    @Path("/tasks/{id}/answer")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response answer(@PathParam("id") String id, String body) {
        return uuid(id) == null ? MemoryResource.notAUuid("id")
                : tasks(() -> agent.answer(caller.threadId(), id, body));
    }

    /** {@code GET /api/inbox}: {@code {"items"}}, what needs the owner, newest first. */
    @GET
    @Path("/inbox")
    public Response inbox() {
        return forward("agent-service", "the inbox", () -> agent.inbox(caller.threadId()));
    }

    /** {@code POST /api/inbox/{taskId}/seen}: 204, a result or failure no longer needs the owner. */
    @POST
    @Path("/inbox/{taskId}/seen")
    public Response seen(@PathParam("taskId") String taskId) {
        return uuid(taskId) == null ? MemoryResource.notAUuid("taskId")
                : forward("agent-service", "the inbox", () -> agent.seen(caller.threadId(), taskId));
    }

    private static Response tasks(Supplier<Response> call) {
        return forward("agent-service", "tasks", call);
    }
}
