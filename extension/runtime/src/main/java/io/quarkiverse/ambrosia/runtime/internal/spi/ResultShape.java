package io.quarkiverse.ambrosia.runtime.internal.spi;

import java.util.List;
import java.util.Map;

/**
 * A result type that is more than its value: an HTTP response with a status and headers (Quarkus REST's
 * {@code RestResponse<T>}). Its status and headers are kept with a keyed call's outcome beside the entity's JSON, and
 * the response is rebuilt from them for a retry. Provided by the REST integration, so the core knows no HTTP type.
 */
public interface ResultShape {

    /**
     * @return the name of the class this shape handles
     */
    String type();

    int status(Object result);

    Object entity(Object result);

    /**
     * @return the headers as strings, in the order they were added
     */
    Map<String, List<String>> headers(Object result);

    Object rebuild(int status, Map<String, List<String>> headers, Object entity);
}
