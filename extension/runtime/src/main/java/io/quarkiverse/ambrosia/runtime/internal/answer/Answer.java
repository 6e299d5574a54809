package io.quarkiverse.ambrosia.runtime.internal.answer;

import java.util.List;
import java.util.Map;

/**
 * The value of an {@code answer} record (docs/wire-format.md, "Answers across instances"): the outcome of an impulse,
 * as the instance that ran it sends it to the instance that recorded it and waits for it.
 *
 * @param offset the log offset of the impulse
 * @param result the result's JSON (for a {@code RestResponse}, its entity), or {@code null} for a failure
 * @param status a {@code RestResponse}'s status, else {@code null}
 * @param headers a {@code RestResponse}'s headers, else {@code null}
 * @param errorType the class of the exception the handler threw, or {@code null}
 * @param errorMessage its message
 * @param error the exception in Java serialization form, when it can be, else {@code null}
 */
public record Answer(long offset, byte[] result, Integer status, Map<String, List<String>> headers, String errorType,
        String errorMessage, byte[] error) {

    public boolean failed() {
        return errorType != null;
    }
}
