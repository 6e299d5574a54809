package io.quarkiverse.ambrosia.runtime.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

import io.quarkiverse.ambrosia.runtime.internal.ImmortalInstance;
import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkus.arc.Arc;

/**
 * Problem details for requests to an immortal's endpoints that Quarkus REST could not decode: they were never recorded,
 * and the answer says which field to fix.
 */
public final class UndecodableRequests {

    private UndecodableRequests() {
    }

    /**
     * @return {@code Immortal.method} of the endpoint serving the request, or {@code null} if it is not an immortal's
     */
    static String immortalEndpoint(ServerRequestContext context) {
        ResteasyReactiveResourceInfo resource = context == null ? null : context.getResteasyReactiveResourceInfo();
        if (resource == null || resource.getResourceClass() == null) {
            return null;
        }
        ImmortalRuntime runtime = Arc.container().instance(ImmortalRuntime.class).get();
        ImmortalInstance immortal = runtime == null ? null : runtime.immortalOf(resource.getResourceClass());
        return immortal == null ? null : immortal.name() + "." + resource.getName();
    }

    /**
     * @return the problem answer for a body that is not JSON at all (a syntax error) or is JSON of the wrong shape, or
     *         {@code null} if the request is not for an immortal's endpoint
     */
    public static Response body(ServerRequestContext context, JsonProcessingException error) {
        String endpoint = immortalEndpoint(context);
        return endpoint == null ? null : body(endpoint, error);
    }

    static Response body(String endpoint, JsonProcessingException error) {
        String field = error instanceof JsonMappingException mapping ? path(mapping.getPath()) : null;
        boolean syntax = !(error instanceof JsonMappingException);
        StringBuilder detail = new StringBuilder();
        if (field != null) {
            detail.append("field '").append(field).append("' of ");
        }
        detail.append("the request body of ").append(endpoint).append(syntax ? " is not valid JSON: " : " does not fit: ")
                .append(error.getOriginalMessage());
        JsonLocation location = error.getLocation();
        if (location != null && location.getLineNr() > 0) {
            detail.append(" (line ").append(location.getLineNr()).append(", column ").append(location.getColumnNr())
                    .append(')');
        }
        return Problems.problem(400, syntax ? "malformed-request-body" : "invalid-request-body",
                syntax ? "Malformed request body" : "Invalid request body", detail.toString(), field).build();
    }

    /**
     * A path, query or header parameter that does not convert to its Java type. Quarkus REST reports it without naming
     * the parameter; the parameter is the one whose value the conversion error quotes.
     */
    static Response parameter(String endpoint, int status, Throwable cause, ServerRequestContext context) {
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
        String detail = (field == null ? "a parameter" : field) + " of " + endpoint
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
