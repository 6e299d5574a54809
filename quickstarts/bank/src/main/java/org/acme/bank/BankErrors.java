package org.acme.bank;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

public class BankErrors {

    @ServerExceptionMapper
    public Response insufficientFunds(InsufficientFundsException e) {
        return Response.status(Response.Status.CONFLICT).entity(e.getMessage()).build();
    }

    @ServerExceptionMapper
    public Response invalidAmount(IllegalArgumentException e) {
        return Response.status(Response.Status.BAD_REQUEST).entity(e.getMessage()).build();
    }
}
