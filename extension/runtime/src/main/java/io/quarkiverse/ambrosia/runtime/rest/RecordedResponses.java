package io.quarkiverse.ambrosia.runtime.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import jakarta.inject.Singleton;

import org.jboss.resteasy.reactive.RestResponse;

import io.quarkiverse.ambrosia.runtime.internal.spi.ResultShape;

/**
 * The parts of a {@code RestResponse<T>} an impulse returns that are kept with its outcome (status, headers, entity),
 * and the response rebuilt from them for a retry or a fetch of the outcome.
 */
@Singleton
public class RecordedResponses implements ResultShape {

    @Override
    public String type() {
        return RestResponse.class.getName();
    }

    @Override
    public int status(Object response) {
        return ((RestResponse<?>) response).getStatus();
    }

    @Override
    public Object entity(Object response) {
        return ((RestResponse<?>) response).getEntity();
    }

    @Override
    public Map<String, List<String>> headers(Object response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : ((RestResponse<?>) response).getStringHeaders().entrySet()) {
            headers.put(header.getKey(), new ArrayList<>(header.getValue()));
        }
        return headers;
    }

    @Override
    public Object rebuild(int status, Map<String, List<String>> headers, Object entity) {
        RestResponse.ResponseBuilder<Object> response = RestResponse.ResponseBuilder.<Object>create(status).entity(entity);
        addHeaders(headers, response::header);
        return response.build();
    }

    /**
     * Adds kept headers (possibly {@code null}) to a response being built, each value in order.
     */
    static void addHeaders(Map<String, List<String>> headers, BiConsumer<String, Object> builder) {
        if (headers == null) {
            return;
        }
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                builder.accept(header.getKey(), value);
            }
        }
    }
}
