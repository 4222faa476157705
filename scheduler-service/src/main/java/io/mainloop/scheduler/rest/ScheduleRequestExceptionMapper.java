package io.mainloop.scheduler.rest;

import io.mainloop.scheduler.service.ScheduleRequestException;
import io.mainloop.support.rest.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Answers a {@link ScheduleRequestException} with its status and an RFC 9457 problem body. */
@Provider
public class ScheduleRequestExceptionMapper implements ExceptionMapper<ScheduleRequestException> {

    @Override
    public Response toResponse(ScheduleRequestException e) {
        return Problem.response(Response.Status.fromStatusCode(e.status()), e.getMessage());
    }
}
