package io.quarkiverse.ambrosia.runtime.internal.commit;

import java.time.Duration;

/**
 * When a task commits: records run as they come, and their commit (offsets and outputs, one transaction) follows
 * within the commit interval or after a full batch, so a slow commit delays callers only while it runs, not on every
 * poll. Outputs for other immortals are committed as soon as no more input is waiting: each call between immortals
 * waits for its sender's commit, and a chain of calls should not wait an interval per hop. A recovery commits by the
 * same rule: committing each poll of a replay cost more than running it.
 */
public final class CommitPolicy {

    static final Duration POLL = Duration.ofMillis(100);

    private final long intervalNanos;
    private final int maxBatch;
    // records run since the last commit, and when the first of them ran
    private int uncommitted;
    private long firstUncommittedNanos;

    public CommitPolicy(Duration interval, int maxBatch) {
        this.intervalNanos = interval.toNanos();
        this.maxBatch = maxBatch;
    }

    /**
     * A record was run (or skipped): it is to be committed.
     */
    public void ran() {
        if (uncommitted++ == 0) {
            firstUncommittedNanos = System.nanoTime();
        }
    }

    /**
     * @return how long the next poll may wait for records: not at all while outputs wait, else until the commit is due
     */
    public Duration pollTimeout(boolean outputsWaiting, long nowNanos) {
        if (outputsWaiting) {
            return Duration.ZERO;
        }
        if (uncommitted == 0) {
            return POLL;
        }
        return Duration.ofNanos(Math.max(0, Math.min(POLL.toNanos(), intervalNanos - (nowNanos - firstUncommittedNanos))));
    }

    /**
     * @param idle whether the last poll returned nothing
     * @return whether to commit now
     */
    public boolean due(boolean idle, boolean outputsWaiting, long nowNanos) {
        if (uncommitted == 0 && !outputsWaiting) {
            return false;
        }
        return (idle && outputsWaiting) || uncommitted >= maxBatch || nowNanos - firstUncommittedNanos >= intervalNanos;
    }

    /**
     * @return how many records the commit being made covers; none are uncommitted after it
     */
    public int committed() {
        int records = uncommitted;
        uncommitted = 0;
        return records;
    }

    public void reset() {
        uncommitted = 0;
    }
}
