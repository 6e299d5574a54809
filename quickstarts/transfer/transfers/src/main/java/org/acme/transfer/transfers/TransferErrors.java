package org.acme.transfer.transfers;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

public class TransferErrors {

    /**
     * An RFC 9457 problem naming the request field, as the extension's own answers to requests that do not decode do.
     */
    @ServerExceptionMapper
    public Response invalidTransfer(InvalidTransferException e) {
        return Response.status(Response.Status.BAD_REQUEST).type("application/problem+json")
                .entity(new Problem("urn:acme:transfer:problem:invalid-transfer", "Invalid transfer", 400,
                        e.getMessage(), e.field()))
                .build();
    }

    /**
     * @param field the request field the problem is about
     */
    public record Problem(String type, String title, int status, String detail, String field) {
    }
}
