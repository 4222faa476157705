package io.mainloop.gateway.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.mainloop.support.rest.Problem;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Answers every JAX-RS error (bad JSON, unknown path, wrong method) and every Bean Validation
 * violation of a request with an RFC 9457 problem body.
 */
public class ProblemExceptionMapper {

    @ServerExceptionMapper
    public Response map(WebApplicationException e) {
        if (e.getCause() instanceof JsonParseException || e.getCause() instanceof MismatchedInputException) {
            return map((JsonProcessingException) e.getCause()); // a body Quarkus could not read, wrapped
        }
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        if (status == null) {
            status = Response.Status.BAD_REQUEST;
        }
        String detail = e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? status.getReasonPhrase()
                : e.getMessage();
        return Problem.response(status, detail);
    }

    /** 400 for a request body that is no JSON, or JSON of the wrong shape (e.g. an array for an object). */
    @ServerExceptionMapper({JsonParseException.class, MismatchedInputException.class})
    public Response map(JsonProcessingException e) {
        return Problem.response(Response.Status.BAD_REQUEST, e instanceof JsonParseException
                ? "the request body is not JSON" : "the request body is JSON of the wrong shape");
    }

    /** 400 whose detail is the violated constraints' messages (sorted, joined by "; "). */
    @ServerExceptionMapper
    public Response map(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream().map(ConstraintViolation::getMessage).sorted()
                .collect(Collectors.joining("; "));
        return Problem.response(Response.Status.BAD_REQUEST, detail.isEmpty() ? "invalid request" : detail);
    }
}
