package io.mainloop.agent.rest;

import io.mainloop.agent.task.TaskEntity;
import io.mainloop.agent.task.TaskService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What needs the owner: questions of tasks, failed tasks and results not yet seen (docs/tasks.md). */
@Path("/api/threads/{threadId}/inbox")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class InboxResource {

    /**
     * One thing for the owner.
     *
     * @param kind {@code question}, {@code failed} or {@code result}
     * @param text the question, the error or the result
     * @param at when it happened
     */
    public record InboxItem(String kind, UUID taskId, String title, String text, Instant at) {
    }

    /** The inbox, newest first. */
    public record Inbox(List<InboxItem> items) {
    }

    @Inject
    TaskService tasks;

    /** {@code GET}: the thread's inbox. */
    @GET
    public Inbox inbox(@PathParam("threadId") String threadId) {
        return new Inbox(tasks.inbox(threadId).stream().map(InboxResource::item).toList());
    }

    /** {@code POST /{taskId}/seen}: 204, the task's result or failure leaves the inbox; 404 if unknown. */
    @POST
    @Path("/{taskId}/seen")
    public Response seen(@PathParam("threadId") String threadId, @PathParam("taskId") String taskId) {
        tasks.seen(threadId, TasksResource.uuid(taskId));
        return Response.noContent().build();
    }

    private static InboxItem item(TaskEntity t) {
        return switch (t.phase) {
            case NeedsInput -> new InboxItem("question", t.id, t.title, t.question, t.startedAt);
            case Failed -> new InboxItem("failed", t.id, t.title, t.error, t.completedAt);
            default -> new InboxItem("result", t.id, t.title, t.result, t.completedAt);
        };
    }
}
