package io.mainloop.gateway.rest;

import static io.mainloop.gateway.rest.Forwarding.forward;
import static io.mainloop.gateway.rest.Forwarding.uuid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mainloop.support.rest.Problem;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The caller's schedules (scheduled prompts and reminders; issue 12), each forwarded to
 * scheduler-service's {@code /api/schedules}: the list is that of the caller's thread
 * ({@link CallerThread}), a created or replaced schedule is put in that thread whatever
 * {@code threadId} the body names, and a schedule addressed by id (read, replaced, deleted, run)
 * must be one of the caller's thread, else 404 as if there were none (scheduler-service's API is
 * not per thread, so the gateway reads the schedule first). Bodies otherwise go through
 * unchanged; scheduler-service's status and problem body come back unchanged (it validates: 400,
 * 404, 409 for the built-in heartbeat); scheduler-service unreachable: 503 problem.
 * Authenticated callers only, as all of {@code /api} ({@link OwnerFilter}). What is checked here:
 * a schedule id must be a UUID (400).
 */
@Path("/api/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ScheduleResource {

    @Inject
    CallerThread caller;

    @Inject
    ObjectMapper json;

    @Inject
    @RestClient
    SchedulerApiClient scheduler;

    /**
     * {@code GET /api/schedules}: {@code {"schedules": [Schedule]}}, oldest first. A schedule is
     * {@code {"id","threadId","kind" (HEARTBEAT|PROMPT|REMINDER),"title","prompt","model","cron","runAt",
     * "timeZone","enabled","activeHoursStart","activeHoursEnd","target" (THREAD|TASK),"createdBy"
     * (OWNER|ASSISTANT|SYSTEM),"builtIn","createdAt","updatedAt","lastFiredAt","nextFireAt"}}, absent
     * fields left out.
     */
    @GET
    public Response list() {
        return schedules(() -> scheduler.list(caller.threadId()));
    }

    /**
     * {@code POST /api/schedules} with {@code {"title","prompt","model","cron" | "runAt","timeZone",
     * "enabled","activeHoursStart","activeHoursEnd","kind","target","threadId"}} (prompt required;
     * exactly one of cron and runAt): 201 with the schedule.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        return schedules(() -> scheduler.create(inCallersThread(body)));
    }

    /** {@code GET /api/schedules/{id}}: the schedule; another thread's: 404. */
    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        return uuid(id) == null ? MemoryResource.notAUuid("id") : ifCallers(id, null);
    }

    /** {@code PUT /api/schedules/{id}} with every field (absent ones take their defaults): 200 with the schedule; built in: 409. */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response replace(@PathParam("id") String id, String body) {
        return uuid(id) == null ? MemoryResource.notAUuid("id")
                : ifCallers(id, () -> scheduler.replace(id, inCallersThread(body)));
    }

    /** {@code DELETE /api/schedules/{id}}: 204; built in: 409. */
    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        return uuid(id) == null ? MemoryResource.notAUuid("id") : ifCallers(id, () -> scheduler.delete(id));
    }

    /** {@code POST /api/schedules/{id}/run}: fires it now, once: 202 with {@code {"scheduleId","firingId","scheduledFor","firedAt"}}. */
    @POST
    @Path("/{id}/run")
    public Response run(@PathParam("id") String id) {
        return uuid(id) == null ? MemoryResource.notAUuid("id") : ifCallers(id, () -> scheduler.run(id));
    }

    /**
     * {@code body} with {@code "threadId"} set to the caller's thread when it is a JSON object (a
     * thread it names is replaced: nobody places a schedule in another's thread); anything else
     * unchanged (scheduler-service judges it).
     */
    String inCallersThread(String body) {
        try {
            JsonNode tree = body == null || body.isBlank() ? null : json.readTree(body);
            if (tree instanceof ObjectNode object) {
                object.put("threadId", caller.threadId());
                return json.writeValueAsString(object);
            }
        } catch (java.io.IOException unreadable) {
            // scheduler-service answers 400 for it
        }
        return body;
    }

    /**
     * Reads schedule {@code id}; when it is of the caller's thread, runs {@code then} (or answers
     * the schedule itself when {@code then} is null). Another thread's schedule: 404 problem, and
     * {@code then} is not run; scheduler-service's own error or absence: passed on as ever.
     */
    private Response ifCallers(String id, Supplier<Response> then) {
        Response found = schedules(() -> scheduler.get(id));
        if (found.getStatus() / 100 != 2) {
            return found;
        }
        String thread = null;
        try {
            Object entity = found.getEntity();
            thread = entity instanceof String text ? json.readTree(text).path("threadId").asText(null) : null;
        } catch (java.io.IOException unreadable) {
            // not a schedule: treated as not the caller's
        }
        if (!caller.threadId().equals(thread)) {
            return Problem.response(Response.Status.NOT_FOUND, "no schedule " + id);
        }
        return then == null ? found : schedules(then);
    }

    private static Response schedules(Supplier<Response> call) {
        return forward("scheduler-service", "schedules", call);
    }
}
