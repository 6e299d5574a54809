package io.quarkiverse.ambrosia.runtime.rest;

import java.net.URI;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.quarkiverse.ambrosia.runtime.internal.answer.AcceptedCall;

/**
 * A keyed call answered once recorded, because the caller asked so or because it did not finish within the call
 * timeout: 202 Accepted, with where to fetch its outcome.
 */
@Provider
public class AcceptedCallMapper implements ExceptionMapper<AcceptedCall> {

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(AcceptedCall accepted) {
        URI location = URI.create(uriInfo.getBaseUri().toString().replaceAll("/+$", "") + "/" + ImpulseResource.PATH
                + "/" + PathSegments.encode(accepted.immortal()) + "/" + PathSegments.encode(accepted.key())
                // the partition whose task keeps a keyed immortal's outcome
                + (accepted.partition() > 0 ? "?partition=" + accepted.partition() : ""));
        Response.ResponseBuilder response = Response.accepted().location(location)
                .header(RecordedOffsetFilter.HEADER, Long.toString(accepted.offset()));
        if (accepted.asked()) {
            response.header("Preference-Applied", "respond-async");
        } else {
            response.header("Retry-After", "1");
        }
        return response.build();
    }
}
