package io.quarkiverse.ambrosia.runtime.internal.checkpoint;

/**
 * How an immortal's checkpoints go, for its health checks and metrics: written by its dispatcher, read by anyone.
 */
public final class CheckpointHealth {

    private volatile Failing failing;
    private volatile long failedCheckpoints;
    private volatile long checkpointOffset;

    /**
     * @return the checkpoints that could not be written since the last one that was, or {@code null} if the last
     *         attempt succeeded
     */
    public Failing failing() {
        return failing;
    }

    /**
     * @return how many checkpoints could not be written since this application started
     */
    public long failedCheckpoints() {
        return failedCheckpoints;
    }

    /**
     * @return the log offset of the newest checkpoint (0 before the first): where a recovery starts its replay
     */
    public long checkpointOffset() {
        return checkpointOffset;
    }

    public void restoredAt(long logOffset) {
        checkpointOffset = logOffset;
    }

    public void failed(Failing now) {
        failing = now;
        // one writer: the dispatcher
        failedCheckpoints = failedCheckpoints + 1;
    }

    public void succeeded(long logOffset) {
        failing = null;
        checkpointOffset = logOffset;
    }

    /**
     * Checkpoints that could not be written, one after the other.
     *
     * @param sinceOffset the log offset of the first of them
     * @param lastOffset the log offset of the last of them
     * @param attempts how many
     * @param field the path of the state field that could not be encoded, or {@code null} if the codec did not say
     * @param cause why the last one could not be written
     */
    public record Failing(long sinceOffset, long lastOffset, int attempts, String field, String cause) {

        /**
         * @return the failure for humans
         */
        public String describe() {
            return "checkpoints failing since log offset " + sinceOffset + " (failed attempts: " + attempts
                    + ", the last at offset " + lastOffset + ")" + (field == null ? "" : " at state field " + field) + ": "
                    + cause;
        }
    }
}
