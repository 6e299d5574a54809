package io.quarkiverse.ambrosia.runtime.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.quarkiverse.ambrosia.ImmortalPendingException;

/**
 * Recorded, but the result is not available here in time: 504. The call will still run, exactly once.
 */
@Provider
public class PendingExceptionMapper implements ExceptionMapper<ImmortalPendingException> {

    @Override
    public Response toResponse(ImmortalPendingException exception) {
        return Problems.problem(504, "pending", "Recorded, result pending", exception.getMessage()).build();
    }
}
