package io.quarkiverse.ambrosia.it;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkiverse.ambrosia.ImmortalPendingException;
import io.quarkiverse.ambrosia.ImmortalUnavailableException;

public class ErrorMappers {

    @ServerExceptionMapper
    public Response badInput(IllegalArgumentException e) {
        return Response.status(400).type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
    }

    @ServerExceptionMapper
    public Response unavailable(ImmortalUnavailableException e) {
        return Response.status(503).type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
    }

    @ServerExceptionMapper
    public Response pending(ImmortalPendingException e) {
        return Response.status(504).type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
    }
}
