package io.quarkiverse.ambrosia.runtime.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers of an immortal's {@code @Impulse} endpoints say where the request was recorded: {@code Ambrosia-Offset}.
 * Sent back as {@code Ambrosia-Min-Offset} with a {@code @ReadOnly} request, it makes the read wait until the state
 * includes that call (read your own writes), on any instance.
 */
@Provider
public class RecordedOffsetFilter implements ContainerResponseFilter {

    static final String HEADER = "Ambrosia-Offset";
    static final String PROPERTY = "io.quarkiverse.ambrosia.recorded-offset";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object offset = request.getProperty(PROPERTY);
        if (offset != null && !response.getHeaders().containsKey(HEADER)) {
            response.getHeaders().putSingle(HEADER, offset.toString());
        }
    }
}
