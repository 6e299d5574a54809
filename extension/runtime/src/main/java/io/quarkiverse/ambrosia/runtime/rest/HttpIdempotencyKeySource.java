package io.quarkiverse.ambrosia.runtime.rest;

import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

import io.quarkiverse.ambrosia.runtime.internal.IdempotencyKeySource;
import io.quarkus.arc.Arc;

/**
 * The {@code Idempotency-Key} header of the REST request being served.
 */
@Singleton
public class HttpIdempotencyKeySource implements IdempotencyKeySource {

    static final String HEADER = "Idempotency-Key";
    private static final int MAX_LENGTH = 255;

    @Override
    public String currentKey() {
        // a call made outside an HTTP request (a test, a scheduled method) has no header to read
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        ResteasyReactiveRequestContext request = CurrentRequestManager.get();
        if (request == null) {
            return null;
        }
        String key = request.getHttpHeaders().getHeaderString(HEADER);
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new WebApplicationException(Problems.problem(400, "invalid-idempotency-key", "Invalid Idempotency-Key",
                    "the Idempotency-Key header must be 1 to " + MAX_LENGTH + " visible ASCII characters").build());
        }
        return key;
    }
}
