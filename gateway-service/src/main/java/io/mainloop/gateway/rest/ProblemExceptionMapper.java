package io.mainloop.gateway.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers every JAX-RS error (bad JSON, unknown path, wrong method) with an RFC 9457 problem body. */
public class ProblemExceptionMapper {

    @ServerExceptionMapper
    public Response map(WebApplicationException e) {
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        if (status == null) {
            status = Response.Status.BAD_REQUEST;
        }
        String detail = e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? status.getReasonPhrase()
                : e.getMessage();
        return Problem.response(status, detail);
    }
}
