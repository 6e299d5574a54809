package io.quarkiverse.ambrosia.runtime.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.quarkiverse.ambrosia.IdempotencyKeyReusedException;

/**
 * The idempotency key belongs to another request: 422, nothing run.
 */
@Provider
public class KeyReusedExceptionMapper implements ExceptionMapper<IdempotencyKeyReusedException> {

    @Override
    public Response toResponse(IdempotencyKeyReusedException exception) {
        return Problems.problem(422, "idempotency-key-reused", "Idempotency-Key reused for another request",
                exception.getMessage()).build();
    }
}
