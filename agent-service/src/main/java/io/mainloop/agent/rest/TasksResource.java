package io.mainloop.agent.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mainloop.agent.launcher.TaskLauncher;
import io.mainloop.agent.task.TaskEntity;
import io.mainloop.agent.task.TaskRequestException;
import io.mainloop.agent.task.TaskService;
import io.mainloop.agent.task.TaskSpec;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** The thread's sub-agent tasks (docs/tasks.md): start, list, read, follow the log, cancel, retry, answer. */
@Path("/api/threads/{threadId}/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class TasksResource {

    /** How often a running task's log is checked for new lines. */
    private static final long LOG_POLL_MS = 200;

    /**
     * A new task (docs/tasks.md, {@code TaskRequest}); absent fields take the defaults.
     *
     * @param deadlineMinutes longest it may run, minutes
     */
    public record TaskRequest(String title, String prompt, String model, TaskView.Repository repository,
                              String workdir, String profile, Integer maxTurns, Integer deadlineMinutes,
                              BigDecimal maxBudgetUsd) {
    }

    /** The thread's tasks, newest first. */
    public record Tasks(List<TaskView> tasks) {
    }

    /** An answer to a task's question. */
    public record Answer(String text) {
    }

    @Inject
    TaskService tasks;

    @Inject
    jakarta.enterprise.inject.Instance<TaskLauncher> launcher;

    @Inject
    ObjectMapper json;

    /** {@code POST}: 201 with the task (Pending, or Running if a slot was free); 400 on a bad request. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("threadId") String threadId, TaskRequest body) {
        if (body == null) {
            throw new TaskRequestException(400, "a JSON body with a prompt is required");
        }
        TaskEntity task = tasks.create(threadId, spec(body), "api");
        return Response.status(Response.Status.CREATED).entity(TaskView.of(task)).build();
    }

    /** {@code GET}: the thread's tasks, newest first. */
    @GET
    public Tasks list(@PathParam("threadId") String threadId) {
        return new Tasks(tasks.list(threadId).stream().map(TaskView::of).toList());
    }

    /** {@code GET /{id}}: the task; 404 if unknown. */
    @GET
    @Path("/{id}")
    public TaskView get(@PathParam("threadId") String threadId, @PathParam("id") String id) {
        return TaskView.of(tasks.get(threadId, uuid(id)));
    }

    /** {@code POST /{id}/cancel}: 202; 409 if it has ended. */
    @POST
    @Path("/{id}/cancel")
    public Response cancel(@PathParam("threadId") String threadId, @PathParam("id") String id) {
        return Response.accepted(TaskView.of(tasks.cancel(threadId, uuid(id)))).build();
    }

    /** {@code POST /{id}/retry}: 202; 409 unless it failed or was cancelled. */
    @POST
    @Path("/{id}/retry")
    public Response retry(@PathParam("threadId") String threadId, @PathParam("id") String id) {
        return Response.accepted(TaskView.of(tasks.retry(threadId, uuid(id)))).build();
    }

    /** {@code POST /{id}/answer {"text"}}: 202, its session resumes with the answer; 409 if it asks nothing. */
    @POST
    @Path("/{id}/answer")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response answer(@PathParam("threadId") String threadId, @PathParam("id") String id, Answer body) {
        return Response.accepted(TaskView.of(tasks.answer(threadId, uuid(id), body == null ? null : body.text()))).build();
    }

    /**
     * {@code GET /{id}/log}: server-sent events, {@code line} with each stream-json line of the
     * task's CLI from the start, live while it runs, then {@code end} with the task once it ended.
     */
    @GET
    @Path("/{id}/log")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void log(@PathParam("threadId") String threadId, @PathParam("id") String id, @Context SseEventSink sink,
                    @Context Sse sse) {
        UUID taskId = uuid(id);
        tasks.get(threadId, taskId); // 404 before anything is streamed
        Thread.ofVirtual().name("task-log-" + taskId).start(() -> stream(threadId, taskId, sink, sse));
    }

    private void stream(String threadId, UUID taskId, SseEventSink sink, Sse sse) {
        try (sink) {
            long position = 0;
            while (!sink.isClosed()) {
                boolean ended = tasks.get(threadId, taskId).phase.finished();
                TaskLauncher.LogChunk chunk = launcher.get().readLog(taskId, position);
                position = chunk.next();
                for (String line : chunk.lines()) {
                    if (line.startsWith("{") && !line.startsWith("{\"mainloop\"")) {
                        sink.send(sse.newEventBuilder().name("line").data(line).build()).toCompletableFuture().join();
                    }
                }
                if (ended && chunk.lines().isEmpty()) {
                    String task = json.writeValueAsString(TaskView.of(tasks.get(threadId, taskId)));
                    sink.send(sse.newEventBuilder().name("end").data(task).build()).toCompletableFuture().join();
                    return;
                }
                if (chunk.lines().isEmpty()) {
                    Thread.sleep(Duration.ofMillis(launcher.get().logPollMs())); // following a log another process writes
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or the task is gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static TaskSpec spec(TaskRequest r) {
        if (r.deadlineMinutes() != null && r.deadlineMinutes() < 1) {
            throw new TaskRequestException(400, "deadlineMinutes must be at least 1");
        }
        return new TaskSpec(r.title(), r.prompt(), r.model(), r.repository() == null ? null : r.repository().url(),
                r.repository() == null ? null : r.repository().branch(), r.workdir(), r.profile(), r.maxTurns(),
                r.deadlineMinutes() == null ? null : Duration.ofMinutes(r.deadlineMinutes()), r.maxBudgetUsd());
    }

    static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new TaskRequestException(400, "id must be a UUID");
        }
    }
}
