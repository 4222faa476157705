package io.mainloop.scheduler.rest;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers a JSON body whose values have the wrong type (e.g. {@code "enabled": "maybe"}) with 400
 * and an RFC 9457 problem body, in place of Quarkus' own JSON answer.
 */
@Provider
public class MismatchedInputExceptionMapper implements ExceptionMapper<MismatchedInputException> {

    @Override
    public Response toResponse(MismatchedInputException e) {
        return JsonBodyExceptionMapper.problem(e);
    }
}
