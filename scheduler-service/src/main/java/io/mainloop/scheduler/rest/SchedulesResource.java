package io.mainloop.scheduler.rest;

import io.mainloop.scheduler.messaging.OutboxRelay;
import io.mainloop.scheduler.repository.ScheduleEntity;
import io.mainloop.scheduler.service.ScheduleFiring;
import io.mainloop.scheduler.service.ScheduleRequestException;
import io.mainloop.scheduler.service.ScheduleService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;

/**
 * The owner's schedules (reached through the gateway only; this service listens on loopback):
 * list, create, read, replace (including enable/disable), delete, and run now. Bad input answers
 * 400, an unknown id 404, a change to a built-in schedule 409, each with an RFC 9457 problem body.
 */
@Path("/api/schedules")
@Produces(MediaType.APPLICATION_JSON)
public class SchedulesResource {

    @Inject
    ScheduleService schedules;

    @Inject
    OutboxRelay relay;

    /** {@code GET ?threadId=}: every schedule (of that thread), oldest first, with its next fire time. */
    @GET
    public ScheduleList list(@QueryParam("threadId") String threadId) {
        return new ScheduleList(schedules.list(threadId == null || threadId.isBlank() ? null : threadId).stream()
                .map(this::view).toList());
    }

    /** {@code POST}: 201 with the schedule and its {@code Location}; 400 on bad input. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(ScheduleRequest body, @Context UriInfo uri) {
        ScheduleEntity s = schedules.create(body == null ? null : body.toInput(), ScheduleEntity.CreatedBy.OWNER);
        return Response.created(uri.getAbsolutePathBuilder().path(s.id.toString()).build())
                .entity(ScheduleView.of(s, s.nextFireAt)).build();
    }

    /** {@code GET /{id}}: the schedule; 400 for an id that is no UUID, 404 if unknown. */
    @GET
    @Path("/{id}")
    public ScheduleView get(@PathParam("id") String id) {
        return view(schedules.get(uuid(id)));
    }

    /** {@code PUT /{id}}: replaces it (all fields); 400 on bad input, 404 if unknown, 409 if built in. */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ScheduleView replace(@PathParam("id") String id, ScheduleRequest body) {
        ScheduleEntity s = schedules.update(uuid(id), body == null ? null : body.toInput());
        return ScheduleView.of(s, s.nextFireAt);
    }

    /** {@code DELETE /{id}}: 204; 404 if unknown, 409 if built in. */
    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        schedules.delete(uuid(id), null);
        return Response.noContent().build();
    }

    /**
     * {@code POST /{id}/run}: fires it now, once (also when disabled or outside its active hours);
     * 202 with the firing; 404 if unknown.
     */
    @POST
    @Path("/{id}/run")
    public Response run(@PathParam("id") String id) {
        ScheduleFiring.Firing fired = schedules.runNow(uuid(id));
        relay.tryPublish(fired.threadId());
        return Response.accepted(new FiringView(uuid(id), fired.eventId(), fired.scheduledFor(), fired.firedAt())).build();
    }

    private ScheduleView view(ScheduleEntity s) {
        return ScheduleView.of(s, schedules.nextFireAt(s));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ScheduleRequestException(400, "'" + id + "' is not a schedule id (a UUID)");
        }
    }
}
