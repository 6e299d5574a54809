package io.quarkiverse.ambrosia.runtime.internal.commit;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.recovery.RecoveryException;

/**
 * What the consumer group's committed offset of a partition says, as the previous instance left it: where it was
 * (the next impulse to run, and the last record from an immortal applied) and how far its outputs got. The offset
 * carries the latter as JSON metadata.
 */
public final class CommittedPosition {

    /** The committed offset's metadata. */
    public record Committed(long appliedThrough, long nextSequence) {
    }

    private long nextUnprocessed;
    private long appliedThrough = -1;
    private long nextSequence;

    /**
     * @return the metadata to commit with the offset
     */
    public static String metadata(ObjectMapper mapper, long appliedThrough, long nextSequence) {
        try {
            return mapper.writeValueAsString(new Committed(appliedThrough, nextSequence));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads what the previous instance committed (offset 0 and no metadata if it committed nothing).
     *
     * @throws RecoveryException if the metadata is not what this version writes
     */
    public void read(ObjectMapper mapper, long offset, String metadata) {
        nextUnprocessed = offset;
        appliedThrough = -1;
        nextSequence = 0;
        if (metadata == null || metadata.isEmpty() || metadata.charAt(0) != '{') {
            return;
        }
        try {
            Committed committed = mapper.readValue(metadata, Committed.class);
            appliedThrough = committed.appliedThrough();
            nextSequence = committed.nextSequence();
        } catch (IOException e) {
            throw new RecoveryException("the committed offset's metadata '" + metadata + "' cannot be read: "
                    + e.getMessage());
        }
    }

    /**
     * @return the output sequence the previous instance reached: its outputs below it were written
     */
    public long nextSequence() {
        return nextSequence;
    }

    /**
     * @return whether the record at that offset was processed by an earlier instance (informational:
     *         {@code Immortals.replaying()})
     */
    public boolean replayed(long offset, boolean fromImmortal) {
        return offset < nextUnprocessed || (fromImmortal && offset <= appliedThrough);
    }
}
