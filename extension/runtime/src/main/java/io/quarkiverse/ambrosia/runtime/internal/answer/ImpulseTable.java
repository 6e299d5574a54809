package io.quarkiverse.ambrosia.runtime.internal.answer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The outcomes of the calls recorded with an idempotency key, in log order. Part of the immortal's checkpointed state
 * and changed only by the dispatcher, so every replica and every replay holds the same table. Entries expire by
 * logged time (a later record's {@code logged-at}), never by the wall clock, and the table is bounded in size.
 * <p>
 * Thread-safe on its own: callers look keys up while the dispatcher runs a handler (and holds the state lock), so a
 * slow handler never delays the answer to a retry or to a fetch of another call's outcome.
 */
public final class ImpulseTable {

    private static final TypeReference<List<Entry>> ENTRIES = new TypeReference<>() {
    };

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    /**
     * One keyed call's outcome: its result as JSON, or the exception it threw.
     *
     * @param key the idempotency key
     * @param requestHash what the call asked for (target and arguments); a reuse of the key for another request is
     *        refused
     * @param callId the call that ran
     * @param offset its log offset
     * @param loggedAt its logged time
     * @param result the result as JSON, when it succeeded
     * @param errorType the class of the exception it threw, when it failed
     * @param errorMessage the exception's message
     * @param error the exception in Java serialization form, when it could be serialized
     * @param status the HTTP status of a {@code RestResponse} result, else {@code null}
     * @param headers the headers of a {@code RestResponse} result, else {@code null}
     */
    public record Entry(String key, String requestHash, String callId, long offset, long loggedAt, byte[] result,
            String errorType,
            String errorMessage, byte[] error, Integer status, Map<String, List<String>> headers) {

        public boolean failed() {
            return errorType != null;
        }
    }

    public synchronized Entry get(String key) {
        return entries.get(key);
    }

    public synchronized void put(Entry entry) {
        entries.put(entry.key(), entry);
    }

    public synchronized int size() {
        return entries.size();
    }

    /**
     * Forgets the entries logged before {@code now - retentionMillis}, then the oldest ones beyond {@code maxEntries}.
     */
    public synchronized void expire(long now, long retentionMillis, int maxEntries) {
        Iterator<Entry> oldestFirst = entries.values().iterator();
        while (oldestFirst.hasNext()) {
            Entry oldest = oldestFirst.next();
            if (oldest.loggedAt() >= now - retentionMillis && entries.size() <= maxEntries) {
                break;
            }
            oldestFirst.remove();
        }
    }

    public synchronized List<Entry> snapshot() {
        return new ArrayList<>(entries.values());
    }

    public synchronized void replace(List<Entry> kept) {
        entries.clear();
        for (Entry entry : kept) {
            entries.put(entry.key(), entry);
        }
    }

    public synchronized void decodeInto(ObjectMapper mapper, byte[] data) throws IOException {
        entries.clear();
        if (data == null || data.length == 0) {
            return;
        }
        for (Entry entry : mapper.readValue(data, ENTRIES)) {
            entries.put(entry.key(), entry);
        }
    }
}
