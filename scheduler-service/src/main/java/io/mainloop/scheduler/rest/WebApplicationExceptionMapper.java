package io.mainloop.scheduler.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.mainloop.support.rest.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Gives the framework's own 4xx answers (a body that is not JSON or not a schedule, an unknown
 * path, a wrong method) an RFC 9457 problem body; other statuses pass unchanged.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        Response response = e.getResponse();
        int status = response.getStatus();
        if (status < 400 || status >= 500 || response.hasEntity()) {
            return response;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return JsonBodyExceptionMapper.problem(json);
            }
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String detail = e.getMessage() == null || e.getMessage().isBlank() ? "request refused" : e.getMessage();
        return known == null ? response : Problem.response(known, detail);
    }
}
