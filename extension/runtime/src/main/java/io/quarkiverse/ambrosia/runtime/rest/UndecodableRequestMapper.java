package io.quarkiverse.ambrosia.runtime.rest;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.ResteasyReactiveClientProblem;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveExceptionMapper;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Requests to an immortal's endpoints that Quarkus REST rejects before the method runs (a body that is not JSON, a
 * parameter that does not convert): the same status, with a problem body naming what to fix. Registered below the
 * application's own mappers; every other {@code WebApplicationException} is answered as Quarkus REST would.
 */
public class UndecodableRequestMapper implements ResteasyReactiveExceptionMapper<WebApplicationException> {

    private static final Logger LOG = Logger.getLogger(UndecodableRequestMapper.class);

    @Override
    public Response toResponse(WebApplicationException exception) {
        return exception.getResponse();
    }

    @Override
    public Response toResponse(WebApplicationException exception, ServerRequestContext context) {
        if (exception instanceof ResteasyReactiveClientProblem) {
            // Quarkus REST never passes a REST client's failure on to its own caller
            LOG.errorf(exception, "Request failed");
            return Response.serverError().build();
        }
        Throwable cause = exception.getCause();
        if (cause == null) {
            return exception.getResponse();
        }
        ImmortalEndpoints.Endpoint endpoint = ImmortalEndpoints.of(context);
        if (endpoint == null) {
            return exception.getResponse();
        }
        if (cause instanceof JsonProcessingException json) {
            return UndecodableRequests.body(endpoint, json);
        }
        if (exception instanceof NotFoundException || exception instanceof BadRequestException) {
            return UndecodableRequests.parameter(endpoint, exception.getResponse().getStatus(), cause, context);
        }
        return exception.getResponse();
    }
}
