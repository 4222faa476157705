package io.mainloop.gateway.rest;

import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}).
 *
 * @param type a URI naming the problem type ({@code about:blank} when the status says it all)
 * @param title short summary of the status
 * @param status the HTTP status
 * @param detail what went wrong with this request, for a person
 */
public record Problem(String type, String title, int status, String detail) {

    /** The media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** A response carrying a problem with {@code status} and {@code detail}. */
    public static Response response(Response.Status status, String detail) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail)).build();
    }
}
