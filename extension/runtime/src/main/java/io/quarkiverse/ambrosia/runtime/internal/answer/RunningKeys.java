package io.quarkiverse.ambrosia.runtime.internal.answer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The idempotency keys of impulses whose handler waits for a reply, with the retries (and outcome queries) recorded
 * meanwhile: a retry is answered with the first attempt's outcome when that completes, and never runs. Owned by the dispatcher; empty at a
 * checkpoint (no handler waits there).
 */
public final class RunningKeys {

    /**
     * A retry waiting for the outcome of its key's first attempt, or a query for that outcome.
     *
     * @param requestHash what the retry asks for, compared with the first attempt's; {@code null} for a query
     * @param replyTo the answer topic of the instance that recorded it, or {@code null}
     */
    public record Retry(String callId, long offset, String requestHash, String replyTo) {

        /** An outcome query from another instance: answered with the outcome, whatever the request was. */
        public static Retry query(String callId, long offset, String replyTo) {
            return new Retry(callId, offset, null, replyTo);
        }

        public boolean query() {
            return requestHash == null;
        }
    }

    private final Map<String, List<Retry>> running = new HashMap<>();

    /**
     * @return whether the key's first attempt still runs; if so, the retry waits for it
     */
    public boolean retryIfRunning(String key, Retry retry) {
        List<Retry> retries = running.get(key);
        if (retries == null) {
            return false;
        }
        retries.add(retry);
        return true;
    }

    public void started(String key) {
        running.put(key, new ArrayList<>());
    }

    /**
     * @return the retries that waited for the key's outcome
     */
    public List<Retry> finished(String key) {
        List<Retry> retries = running.remove(key);
        return retries == null ? List.of() : retries;
    }

    public void clear() {
        running.clear();
    }
}
