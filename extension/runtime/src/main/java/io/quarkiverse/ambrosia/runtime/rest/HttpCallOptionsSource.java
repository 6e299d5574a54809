package io.quarkiverse.ambrosia.runtime.rest;

import java.util.List;
import java.util.concurrent.Executor;

import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

import io.quarkiverse.ambrosia.runtime.internal.spi.CallOptionsSource;
import io.quarkus.arc.Arc;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The {@code Idempotency-Key}, {@code Prefer: respond-async} and {@code Ambrosia-Min-Offset} headers of the REST
 * request being served, and where its call was recorded.
 */
@Singleton
public class HttpCallOptionsSource implements CallOptionsSource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String MIN_OFFSET = "Ambrosia-Min-Offset";
    private static final int MAX_LENGTH = 255;

    @Override
    public CallOptions current() {
        // a call made outside an HTTP request (a test, a scheduled method) has no headers to read
        if (!Arc.container().requestContext().isActive()) {
            return CallOptions.NONE;
        }
        ResteasyReactiveRequestContext request = CurrentRequestManager.get();
        if (request == null) {
            return CallOptions.NONE;
        }
        List<String> keys = request.getHttpHeaders().getRequestHeaders().get(IDEMPOTENCY_KEY);
        if (keys != null && keys.size() > 1) {
            // joined, they would make a key that no attempt sent; and which one the client meant is unknown
            throw invalidKey("the request has " + keys.size() + " Idempotency-Key headers: send exactly one");
        }
        String key = keys == null || keys.isEmpty() ? null : keys.get(0);
        if (key != null && (key.isEmpty() || key.length() > MAX_LENGTH
                || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw invalidKey("the Idempotency-Key header must be 1 to " + MAX_LENGTH + " visible ASCII characters");
        }
        if (".".equals(key) || "..".equals(key)) {
            // the outcome's Location ends with the key: as a path segment, servers drop or follow it, encoded or not
            throw invalidKey("the Idempotency-Key '" + key + "' cannot be part of the outcome's Location (a relative"
                    + " path segment): choose another key");
        }
        boolean async = Preferences.value(request.getHttpHeaders().getRequestHeaders().get("Prefer"),
                "respond-async") != null;
        return new CallOptions(key, async, minOffset(request.getHttpHeaders().getHeaderString(MIN_OFFSET)),
                // set before the answer is written, on the request's context (an asynchronous call comes back to it)
                offset -> request.getContainerRequestContext().setProperty(RecordedOffsetFilter.PROPERTY, offset));
    }

    @Override
    public Executor continuation() {
        Context context = Vertx.currentContext();
        return context == null ? null : task -> context.runOnContext(ignored -> task.run());
    }

    private static WebApplicationException invalidKey(String detail) {
        return new WebApplicationException(Problems.problem(400, "invalid-idempotency-key", "Invalid Idempotency-Key",
                detail, IDEMPOTENCY_KEY).build());
    }

    private static long minOffset(String header) {
        if (header == null) {
            return -1;
        }
        try {
            long offset = Long.parseLong(header.trim());
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new WebApplicationException(Problems.problem(400, "invalid-min-offset", "Invalid " + MIN_OFFSET,
                "the " + MIN_OFFSET + " header must be a log offset (a non-negative integer, as in the "
                        + RecordedOffsetFilter.HEADER + " header of an answer), not '" + header + "'",
                MIN_OFFSET).build());
    }
}
