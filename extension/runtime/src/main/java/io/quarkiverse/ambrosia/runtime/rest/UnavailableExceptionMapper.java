package io.quarkiverse.ambrosia.runtime.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.quarkiverse.ambrosia.ImmortalUnavailableException;

/**
 * The call was not recorded (the log cannot be written, or this instance does not own the immortal): 503, retry.
 */
@Provider
public class UnavailableExceptionMapper implements ExceptionMapper<ImmortalUnavailableException> {

    @Override
    public Response toResponse(ImmortalUnavailableException exception) {
        return Problems.problem(503, "unavailable", "Not recorded", exception.getMessage())
                .header("Retry-After", "1").build();
    }
}
