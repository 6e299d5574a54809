package io.quarkiverse.ambrosia.runtime.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.quarkiverse.ambrosia.ImmortalOverloadedException;

/**
 * Too many calls are waiting for the immortal: 429, nothing recorded, retry later.
 */
@Provider
public class OverloadedExceptionMapper implements ExceptionMapper<ImmortalOverloadedException> {

    @Override
    public Response toResponse(ImmortalOverloadedException exception) {
        return Problems.problem(429, "overloaded", "Too many calls in flight", exception.getMessage())
                .header("Retry-After", "1").build();
    }
}
