package org.acme.bank;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

public class BankErrors {

    static final String PROBLEM = "application/problem+json";

    @ServerExceptionMapper
    public Response insufficientFunds(InsufficientFundsException e) {
        return Response.status(Response.Status.CONFLICT).entity(e.getMessage()).build();
    }

    /**
     * An RFC 9457 problem naming the parameter, as the extension's own answers to requests that do not decode do.
     */
    @ServerExceptionMapper
    public Response invalidAmount(InvalidAmountException e) {
        return Response.status(Response.Status.BAD_REQUEST).type(PROBLEM)
                .entity(new Problem("urn:acme:bank:problem:invalid-amount", "Invalid amount", 400, e.getMessage(),
                        e.parameter()))
                .build();
    }

    /**
     * @param field the request parameter the problem is about
     */
    public record Problem(String type, String title, int status, String detail, String field) {
    }
}
