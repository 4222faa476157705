package io.mainloop.scheduler.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mainloop.support.rest.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Answers a request body that is not the expected JSON with 400 and an RFC 9457 problem body. */
@Provider
public class JsonBodyExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        return problem(e);
    }

    /** The 400 problem for a body Jackson could not read. */
    static Response problem(JsonProcessingException e) {
        return Problem.response(Response.Status.BAD_REQUEST, "the body is not a JSON schedule: " + e.getOriginalMessage());
    }
}
