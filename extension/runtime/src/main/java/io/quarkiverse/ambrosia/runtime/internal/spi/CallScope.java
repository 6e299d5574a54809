package io.quarkiverse.ambrosia.runtime.internal.spi;

import java.util.concurrent.Callable;

/**
 * What surrounds a handler on the dispatcher: with Quarkus security, a request context whose identity is the caller
 * recorded with the call.
 */
public interface CallScope {

    /**
     * @param principal the caller recorded with the call, or {@code null}
     * @param handler runs the handler
     * @return the handler's result
     */
    public Object run(String principal, Callable<Object> handler) throws Exception;
}
