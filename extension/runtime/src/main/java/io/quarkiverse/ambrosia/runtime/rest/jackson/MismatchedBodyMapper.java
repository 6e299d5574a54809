package io.quarkiverse.ambrosia.runtime.rest.jackson;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveExceptionMapper;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkiverse.ambrosia.runtime.rest.UndecodableRequests;
import io.quarkus.resteasy.reactive.jackson.runtime.mappers.BuiltinMismatchedInputExceptionMapper;

/**
 * A JSON request body of the wrong shape (a string for a number, an object for a list): for an immortal's endpoint,
 * 400 with a problem body naming the field; for any other endpoint, what Quarkus REST Jackson answers.
 */
public class MismatchedBodyMapper implements ResteasyReactiveExceptionMapper<MismatchedInputException> {

    private final BuiltinMismatchedInputExceptionMapper builtin = new BuiltinMismatchedInputExceptionMapper();

    @Override
    public Response toResponse(MismatchedInputException exception) {
        return builtin.toResponse(exception);
    }

    @Override
    public Response toResponse(MismatchedInputException exception, ServerRequestContext context) {
        Response problem = UndecodableRequests.body(context, exception);
        return problem != null ? problem : builtin.toResponse(exception);
    }
}
