package io.quarkiverse.ambrosia.runtime.internal.calls;

import java.util.HashMap;
import java.util.Map;

/**
 * The highest output sequence number received from each sending immortal: a call or reply at or below it is a
 * duplicate (a sender's replay writing it again) and dropped. Checkpointed.
 */
public final class SenderWatermarks {

    private final Map<String, Long> watermarks = new HashMap<>();

    /**
     * @return whether the record numbered {@code sequence} by {@code sender} is new; raises the sender's watermark
     */
    public boolean accept(String sender, long sequence) {
        if (sequence < 0) {
            return true;
        }
        Long watermark = watermarks.get(sender);
        if (watermark != null && sequence <= watermark) {
            return false;
        }
        watermarks.put(sender, sequence);
        return true;
    }

    public boolean isEmpty() {
        return watermarks.isEmpty();
    }

    public Map<String, Long> snapshot() {
        return new HashMap<>(watermarks);
    }

    public void restore(Map<String, Long> restored) {
        watermarks.clear();
        if (restored != null) {
            watermarks.putAll(restored);
        }
    }
}
