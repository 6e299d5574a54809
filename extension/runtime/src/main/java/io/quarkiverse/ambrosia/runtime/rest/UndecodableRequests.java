package io.quarkiverse.ambrosia.runtime.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Problem details for requests to an immortal's endpoints that Quarkus REST could not decode: they were never recorded,
 * and the answer says which field to fix.
 */
public final class UndecodableRequests {

    private UndecodableRequests() {
    }

    /**
     * @return the problem answer for a body that is not JSON at all (a syntax error) or is JSON of the wrong shape, or
     *         {@code null} if the request is not for an immortal's endpoint
     */
    public static Response body(ServerRequestContext context, JsonProcessingException error) {
        ImmortalEndpoints.Endpoint endpoint = ImmortalEndpoints.of(context);
        return endpoint == null ? null : body(endpoint, error);
    }

    static Response body(ImmortalEndpoints.Endpoint endpoint, JsonProcessingException error) {
        boolean syntax = !(error instanceof JsonMappingException);
        String field = syntax ? null : path(((JsonMappingException) error).getPath());
        StringBuilder detail = new StringBuilder();
        if (field != null) {
            detail.append("field '").append(field).append("' of ");
        }
        detail.append("the request body of ").append(endpoint.name());
        if (syntax) {
            detail.append(" is not valid JSON: ");
        } else if (field == null) {
            // the body as a whole does not fit: it is the body parameter that is wrong
            field = endpoint.body();
            detail.append(" does not fit parameter '").append(field).append("': ");
        } else {
            detail.append(" does not fit: ");
        }
        detail.append(error.getOriginalMessage());
        JsonLocation location = error.getLocation();
        if (location != null && location.getLineNr() > 0) {
            detail.append(" (line ").append(location.getLineNr()).append(", column ").append(location.getColumnNr())
                    .append(')');
        }
        return Problems.problem(400, syntax ? "malformed-request-body" : "invalid-request-body",
                syntax ? "Malformed request body" : "Invalid request body", detail.toString(), field).build();
    }

    /**
     * A request without a body, or with an empty or blank one, for an endpoint that reads one: Jackson has no value to
     * decode, and what Quarkus REST passed on instead (nothing, or an empty string) would fail the call or be recorded
     * as if the client had sent it.
     */
    public static Response missingBody(ImmortalEndpoints.Endpoint endpoint) {
        return Problems.problem(400, "missing-request-body", "Missing request body", "the request body of "
                + endpoint.name() + " is empty: send a JSON value for parameter '" + endpoint.body() + "'",
                endpoint.body()).build();
    }

    /**
     * A path, query or header parameter that does not convert to its Java type. Quarkus REST reports it without naming
     * the parameter; the parameter is the one whose value the conversion error quotes.
     */
    static Response parameter(ImmortalEndpoints.Endpoint endpoint, int status, Throwable cause, ServerRequestContext context) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String field = null;
        if (context instanceof ResteasyReactiveRequestContext request) {
            field = find(request.getUriInfo().getPathParameters(), message, "path parameter ");
            if (field == null) {
                field = find(request.getUriInfo().getQueryParameters(), message, "query parameter ");
            }
            if (field == null) {
                field = find(request.getHttpHeaders().getRequestHeaders(), message, "header ");
            }
        }
        String detail = (field == null ? "a parameter" : field) + " of " + endpoint.name()
                + " does not convert to its type: " + message;
        String name = field == null ? null : field.substring(field.lastIndexOf(' ') + 1);
        return Problems.problem(status, "invalid-parameter", "Invalid request parameter", detail, name).build();
    }

    private static String find(MultivaluedMap<String, String> parameters, String message, String kind) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            for (String value : parameter.getValue()) {
                if (value != null && message.contains("\"" + value + "\"")) {
                    return kind + parameter.getKey();
                }
            }
        }
        return null;
    }

    /**
     * @return the JSON path of the field, such as {@code items[2].count}, or {@code null} for the body itself
     */
    static String path(List<JsonMappingException.Reference> references) {
        if (references == null || references.isEmpty()) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }
}
