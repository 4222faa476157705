package io.mainloop.gateway.push;

import io.mainloop.gateway.config.GatewayConfig;
import io.mainloop.gateway.rest.CallerThread;
import io.mainloop.support.rest.Problem;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Web Push subscriptions of the caller's devices (docs/web-push.md): a device subscribes to the
 * caller's thread ({@link CallerThread}) and gets that thread's pushes only. Authenticated callers
 * only, as all of {@code /api} ({@link io.mainloop.gateway.rest.OwnerFilter}). Bad input: 400 with an RFC 9457
 * problem body; pushes switched off ({@code mainloop.gateway.push.enabled=false}): 404 problem.
 */
@Path("/api/push")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class PushResource {

    @Inject
    GatewayConfig config;

    @Inject
    VapidKeyStore keys;

    @Inject
    PushSubscriptions subscriptions;

    @Inject
    CallerThread caller;

    /**
     * {@code GET /api/push/key}: {@code {"publicKey": "<base64url>"}}, the VAPID public key (the
     * uncompressed P-256 point) a browser passes as {@code applicationServerKey} when it subscribes.
     */
    @GET
    @Path("/key")
    public Response key() {
        if (!config.push().enabled()) {
            return disabled();
        }
        return Response.ok(Map.of("publicKey", keys.publicKey())).build();
    }

    /**
     * {@code POST /api/push/subscriptions} with the browser's {@code PushSubscription} JSON
     * ({@code {"endpoint","keys":{"p256dh","auth"}}}): 201 with {@code {"id","endpoint","createdAt"}};
     * 200 with the same when that endpoint is subscribed already (its keys are updated); 400 problem
     * for an endpoint that is no https URL (http only on localhost) or keys that are missing or no
     * P-256 key and 16-byte secret in base64url.
     */
    @POST
    @Path("/subscriptions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response subscribe(SubscriptionRequest request) {
        if (!config.push().enabled()) {
            return disabled();
        }
        String problem = request == null ? "a PushSubscription JSON body is required" : request.problem();
        if (problem != null) {
            return Problem.response(Response.Status.BAD_REQUEST, problem);
        }
        PushSubscriptions.Subscribed result = subscriptions.subscribe(caller.threadId(), request.endpoint(), request.keys().p256dh(),
                request.keys().auth());
        return Response.status(result.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(result.subscription()).build();
    }

    /**
     * {@code DELETE /api/push/subscriptions?endpoint=<url>}: 204, that device gets no more pushes
     * of the caller's thread (also 204 when it was not subscribed to it); 400 problem without {@code endpoint}.
     */
    @DELETE
    @Path("/subscriptions")
    public Response unsubscribe(@QueryParam("endpoint") String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return Problem.response(Response.Status.BAD_REQUEST, "the query parameter endpoint is required");
        }
        subscriptions.unsubscribe(caller.threadId(), endpoint);
        return Response.noContent().build();
    }

    private static Response disabled() {
        return Problem.response(Response.Status.NOT_FOUND, "Web Push is switched off on this gateway");
    }
}
