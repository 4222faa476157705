package io.mainloop.gateway.rest;

import static io.mainloop.gateway.rest.Forwarding.forward;
import static io.mainloop.gateway.rest.Forwarding.uuid;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * {@code GET /api/thread/turns/{turnId}/context}: what a turn's assistant saw in the caller's main
 * thread, layer by layer with token counts, and what was dropped ({@code TurnContext} of
 * docs/memory.md), forwarded to memory-service. A turn id that is no UUID: 400 problem; an
 * unknown turn: memory-service's 404; memory-service unreachable: 503 problem. Authenticated callers only.
 */
@Path("/api/thread/turns/{turnId}/context")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class TurnContextResource {

    @Inject
    CallerThread caller;

    @Inject
    @RestClient
    MemoryApiClient memory;

    /** The turn's context as memory-service recorded it when it assembled the turn. */
    @GET
    public Response context(@PathParam("turnId") String turnId) {
        if (uuid(turnId) == null) {
            return MemoryResource.notAUuid("turnId");
        }
        return forward("the turn's context", () -> memory.turnContext(caller.threadId(), turnId));
    }
}
