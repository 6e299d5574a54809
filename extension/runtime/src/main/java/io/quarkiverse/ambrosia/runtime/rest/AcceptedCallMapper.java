package io.quarkiverse.ambrosia.runtime.rest;

import java.net.URI;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.quarkiverse.ambrosia.runtime.internal.AcceptedCall;

/**
 * A call the caller asked to have answered once recorded: 202 Accepted, with where to fetch its outcome.
 */
@Provider
public class AcceptedCallMapper implements ExceptionMapper<AcceptedCall> {

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(AcceptedCall accepted) {
        URI location = uriInfo.getBaseUriBuilder().path(ImpulseResource.PATH).path(accepted.immortal())
                .path(accepted.key()).build();
        return Response.accepted().location(location).header("Preference-Applied", "respond-async")
                .header("Ambrosia-Offset", Long.toString(accepted.offset())).build();
    }
}
