package io.quarkiverse.ambrosia.runtime.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.quarkiverse.ambrosia.ImmortalOutcomeUnknownException;

/**
 * Appending timed out: the call may or may not be recorded. 503; only a retry with the same Idempotency-Key is safe.
 */
@Provider
public class OutcomeUnknownExceptionMapper implements ExceptionMapper<ImmortalOutcomeUnknownException> {

    @Override
    public Response toResponse(ImmortalOutcomeUnknownException exception) {
        return Problems.problem(503, "outcome-unknown", "Recording timed out", exception.getMessage()
                + "; retry with the same Idempotency-Key header to make sure it runs once").header("Retry-After", "1")
                .build();
    }
}
