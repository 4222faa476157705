package io.mainloop.gateway.rest;

import io.mainloop.contracts.AgentCommand;
import io.mainloop.contracts.EventIds;
import io.mainloop.contracts.MessageAccepted;
import io.mainloop.gateway.config.GatewayConfig;
import io.mainloop.gateway.messaging.GatewayPublisher;
import io.mainloop.support.rest.Problem;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The caller's main thread ({@link CallerThread}): post a message, read history, cancel a turn. */
@Path("/api/thread")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ThreadResource {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ThreadResource.class);

    @Inject
    GatewayConfig config;

    @Inject
    CallerThread caller;

    @Inject
    GatewayPublisher publisher;

    @Inject
    @RestClient
    MemoryClient memory;

    /**
     * {@code POST /api/thread/messages}: accepts a message (202 once it is durably in Kafka).
     * Idempotent on {@code clientMessageId}. Empty text or a too long clientMessageId: 400 (Bean
     * Validation, see {@link PostMessageRequest}); over 32 KiB: 413 (problem bodies).
     */
    @POST
    @Path("/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response post(@Valid @NotNull(message = "text must not be empty") PostMessageRequest request) {
        int bytes = request.text().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > config.maxMessageBytes()) {
            return Problem.response(Response.Status.REQUEST_ENTITY_TOO_LARGE, "text is " + bytes
                    + " bytes; at most " + config.maxMessageBytes() + " bytes are accepted");
        }
        String clientMessageId = request.clientMessageId() == null || request.clientMessageId().isBlank()
                ? UUID.randomUUID().toString() : request.clientMessageId();
        UUID messageId = EventIds.named("message", caller.threadId(), clientMessageId);
        publisher.accepted(MessageAccepted.of(caller.threadId(), messageId, clientMessageId, request.text()));
        LOG.infof("accepted message %s", messageId);
        return Response.accepted(new PostMessageResponse(messageId, clientMessageId)).build();
    }

    /** {@code GET /api/thread/messages?before=<cursor>&limit=<n>}: a page of history, newest last. */
    @GET
    @Path("/messages")
    public Response history(@QueryParam("before") String before, @QueryParam("limit") String limit) {
        try {
            return Response.ok(memory.page(caller.threadId(), before, limit)).build();
        } catch (WebApplicationException e) {
            return Response.status(e.getResponse().getStatus()).type(Problem.MEDIA_TYPE)
                    .entity(e.getResponse().readEntity(String.class)).build();
        } catch (RuntimeException e) {
            return Problem.response(Response.Status.SERVICE_UNAVAILABLE, "history is unavailable right now");
        }
    }

    /** {@code POST /api/thread/turns/{turnId}/cancel}: asks the agent to stop the turn (202). */
    @POST
    @Path("/turns/{turnId}/cancel")
    public Response cancel(@PathParam("turnId") String turnId) {
        UUID id;
        try {
            id = UUID.fromString(turnId);
        } catch (IllegalArgumentException e) {
            return Problem.response(Response.Status.BAD_REQUEST, "turnId must be a UUID");
        }
        publisher.command(AgentCommand.CancelTurn.of(caller.threadId(), id));
        return Response.accepted().build();
    }
}
