package io.mainloop.gateway.rest;

import static io.mainloop.gateway.rest.Forwarding.forward;
import static io.mainloop.gateway.rest.Forwarding.uuid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mainloop.gateway.config.GatewayConfig;
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
 * The owner's schedules (scheduled prompts and reminders; issue 12), each forwarded to
 * scheduler-service's {@code /api/schedules}: the list is that of {@link GatewayConfig#threadId()},
 * and a created or replaced schedule without a {@code threadId} gets it. Bodies otherwise go
 * through unchanged; scheduler-service's status and problem body come back unchanged (it validates:
 * 400, 404, 409 for the built-in heartbeat); scheduler-service unreachable: 503 problem. Owner only,
 * as all of {@code /api} ({@link OwnerFilter}). What is checked here: a schedule id must be a UUID (400).
 */
@Path("/api/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ScheduleResource {

    @Inject
    GatewayConfig config;

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
        return schedules(() -> scheduler.list(config.threadId()));
    }

    /**
     * {@code POST /api/schedules} with {@code {"title","prompt","model","cron" | "runAt","timeZone",
     * "enabled","activeHoursStart","activeHoursEnd","kind","target","threadId"}} (prompt required;
     * exactly one of cron and runAt): 201 with the schedule.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        return schedules(() -> scheduler.create(inOwnersThread(body)));
    }

    /** {@code GET /api/schedules/{id}}: the schedule. */
    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") String id) {
        return uuid(id) == null ? MemoryResource.notAUuid("id") : schedules(() -> scheduler.get(id));
    }

    /** {@code PUT /api/schedules/{id}} with every field (absent ones take their defaults): 200 with the schedule; built in: 409. */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response replace(@PathParam("id") String id, String body) {
        return uuid(id) == null ? MemoryResource.notAUuid("id")
                : schedules(() -> scheduler.replace(id, inOwnersThread(body)));
    }

    /** {@code DELETE /api/schedules/{id}}: 204; built in: 409. */
    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        return uuid(id) == null ? MemoryResource.notAUuid("id") : schedules(() -> scheduler.delete(id));
    }

    /** {@code POST /api/schedules/{id}/run}: fires it now, once: 202 with {@code {"scheduleId","firingId","scheduledFor","firedAt"}}. */
    @POST
    @Path("/{id}/run")
    public Response run(@PathParam("id") String id) {
        return uuid(id) == null ? MemoryResource.notAUuid("id") : schedules(() -> scheduler.run(id));
    }

    /**
     * {@code body} with {@code "threadId"} set to the owner's thread when it is a JSON object that
     * names none; anything else unchanged (scheduler-service judges it).
     */
    String inOwnersThread(String body) {
        try {
            JsonNode tree = body == null || body.isBlank() ? null : json.readTree(body);
            if (tree instanceof ObjectNode object && (!object.hasNonNull("threadId") || object.get("threadId").asText().isBlank())) {
                object.put("threadId", config.threadId());
                return json.writeValueAsString(object);
            }
        } catch (java.io.IOException unreadable) {
            // scheduler-service answers 400 for it
        }
        return body;
    }

    private static Response schedules(Supplier<Response> call) {
        return forward("scheduler-service", "schedules", call);
    }
}
