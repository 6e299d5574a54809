package io.quarkiverse.ambrosia.it;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The application's own mapping of its handlers' exceptions; the extension maps its own (503, 429, 504...).
 */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response badInput(IllegalArgumentException e) {
        return Response.status(400).type(MediaType.TEXT_PLAIN).entity(e.getMessage()).build();
    }
}
