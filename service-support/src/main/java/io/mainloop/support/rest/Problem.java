package io.mainloop.support.rest;

import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}), serialized by Jackson as
 * {@code {"type", "title", "status", "detail"}}.
 *
 * @param type a URI naming the problem type ({@code about:blank} when the status says it all)
 * @param title short summary of the status
 * @param status the HTTP status
 * @param detail what went wrong with this request, for a person
 */
public record Problem(String type, String title, int status, String detail) {

    /** The media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem of type {@code about:blank} titled by the reason phrase of {@code status}. */
    public static Problem of(Response.Status status, String detail) {
        return new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail);
    }

    /** A JAX-RS response with {@code status} and a problem body ({@link #of}) saying {@code detail}. */
    public static Response response(Response.Status status, String detail) {
        return Response.status(status).type(MEDIA_TYPE).entity(of(status, detail)).build();
    }
}
