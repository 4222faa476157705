package io.mainloop.memory.rest;

import io.mainloop.memory.memories.MemoryRequestException;
import io.mainloop.support.rest.Problem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Answers a {@link MemoryRequestException} with its status and an RFC 9457 problem body. */
@Provider
public class MemoryRequestExceptionMapper implements ExceptionMapper<MemoryRequestException> {

    @Override
    public Response toResponse(MemoryRequestException e) {
        return Problem.response(Response.Status.fromStatusCode(e.status()), e.getMessage());
    }
}
