package io.quarkiverse.ambrosia.runtime.internal.answer;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a keyed or accepted call, as far as this instance knows.
 *
 * @param state whether it ran (and how), still runs, or is unknown here
 * @param result the result as JSON, when it ran
 * @param failure what it threw, when it failed
 * @param status the HTTP status it returned (a {@code RestResponse}), or {@code null}
 * @param headers the headers it returned (a {@code RestResponse}), or {@code null}
 */
public record Outcome(State state, byte[] result, Exception failure, Integer status,
        Map<String, List<String>> headers) {

    public enum State {
        DONE, FAILED, RUNNING, UNKNOWN
    }

    Outcome(State state, byte[] result, Exception failure) {
        this(state, result, failure, null, null);
    }
}
