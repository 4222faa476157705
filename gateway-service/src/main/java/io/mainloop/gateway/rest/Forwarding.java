package io.mainloop.gateway.rest;

import io.mainloop.support.rest.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * How the gateway answers with what another service (memory-service, agent-service,
 * scheduler-service) answered: its status and body unchanged (a problem body stays a problem body;
 * an error whose body is not JSON becomes a problem with the same status), or 503 with a problem
 * body when that service cannot be reached (or answers nothing readable).
 */
final class Forwarding {

    private static final Logger LOG = Logger.getLogger(Forwarding.class);

    private Forwarding() {
    }

    /** Runs {@code call} against memory-service; {@code what} names the data for the 503 detail. */
    static Response forward(String what, Supplier<Response> call) {
        return forward("memory-service", what, call);
    }

    /** Runs {@code call} against {@code service}; {@code what} names the data for the 503 detail. */
    static Response forward(String service, String what, Supplier<Response> call) {
        try (Response answer = call.get()) {
            return copy(answer, MediaType.APPLICATION_JSON);
        } catch (WebApplicationException e) {
            return copy(e.getResponse(), Problem.MEDIA_TYPE);
        } catch (RuntimeException e) {
            LOG.warnf("%s did not answer for %s: %s", service, what, e.toString());
            return unavailable(what);
        }
    }

    /** 503 problem: {@code what} cannot be had right now. */
    static Response unavailable(String what) {
        return Problem.response(Response.Status.SERVICE_UNAVAILABLE, what + " is unavailable right now");
    }

    /** The UUID in {@code value}, or null when it is not one. */
    static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    private static Response copy(Response answer, String defaultType) {
        MediaType type = answer.getMediaType();
        return answered(answer.getStatus(), type == null ? null : type.toString(),
                answer.hasEntity() ? answer.readEntity(String.class) : null, defaultType);
    }

    /**
     * The browser's answer for a service's answer: {@code status} and {@code body} as they were
     * (of {@code contentType}, else {@code defaultType}); no body when it had none; an error whose
     * body is not JSON, or says no type (an HTML 404 of a service without that endpoint, a proxy's
     * 502 page), becomes a problem with the same status.
     */
    static Response answered(int status, String contentType, String body, String defaultType) {
        if (body == null || body.isEmpty()) {
            return Response.status(status).build();
        }
        MediaType type = contentType == null ? null : MediaType.valueOf(contentType);
        if (status >= 400 && (type == null || !isJson(type))) {
            // not a problem body (e.g. an HTML 404 of a service that has no such endpoint yet): say so as one
            Response.StatusType reason = Response.Status.fromStatusCode(status);
            return Response.status(status).type(Problem.MEDIA_TYPE).entity(new Problem("about:blank",
                    reason == null ? "Error" : reason.getReasonPhrase(), status, "the service behind the gateway answered "
                    + status)).build();
        }
        return Response.status(status).type(type == null ? defaultType : type.toString()).entity(body).build();
    }

    /** Whether {@code type} is JSON ({@code application/json} or a {@code +json} type such as a problem). */
    static boolean isJson(MediaType type) {
        return type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
    }
}
