package io.mainloop.gateway.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * scheduler-service's schedule API ({@code quarkus.rest-client.scheduler.url}): the schedules and
 * running one now. Bodies go through as JSON text; every method answers the raw {@link Response}
 * so its status (200, 201, 202, 204) can be passed on. A 4xx or 5xx answer is thrown as a
 * {@link jakarta.ws.rs.WebApplicationException} whose response holds the problem body.
 */
@RegisterRestClient(configKey = "scheduler")
@org.eclipse.microprofile.rest.client.annotation.RegisterProvider(InternalApiToken.class)
@Path("/api/schedules")
@Produces(MediaType.APPLICATION_JSON)
public interface SchedulerApiClient {

    /** The schedules of {@code threadId}, oldest first: {@code {"schedules"}}. */
    @GET
    Response list(@QueryParam("threadId") String threadId);

    /** Creates a schedule ({@code ScheduleRequest}): 201 with the schedule; bad input 400. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Response create(String body);

    /** One schedule; unknown 404. */
    @GET
    @Path("/{id}")
    Response get(@PathParam("id") String id);

    /** Replaces a schedule (every field): 200; bad input 400, unknown 404, built in 409. */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    Response replace(@PathParam("id") String id, String body);

    /** Deletes a schedule: 204; unknown 404, built in 409. */
    @DELETE
    @Path("/{id}")
    Response delete(@PathParam("id") String id);

    /** Fires a schedule now, once: 202 with the firing; unknown 404. */
    @POST
    @Path("/{id}/run")
    Response run(@PathParam("id") String id);
}
