package io.mainloop.agent.rest;

import io.mainloop.agent.task.TaskRequestException;
import io.mainloop.support.rest.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Answers a {@link TaskRequestException} with its status and an RFC 9457 problem body. */
@Provider
public class TaskRequestExceptionMapper implements ExceptionMapper<TaskRequestException> {

    @Override
    public Response toResponse(TaskRequestException e) {
        return Problem.response(Response.Status.fromStatusCode(e.status()), e.getMessage());
    }
}
