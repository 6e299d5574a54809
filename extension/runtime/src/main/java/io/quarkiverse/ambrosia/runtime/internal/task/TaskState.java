package io.quarkiverse.ambrosia.runtime.internal.task;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a partition task stands on this application instance, and where it may go from there.
 *
 * <pre>
 *   ELSEWHERE --assigned here--> RECOVERING --caught up--> LIVE --failure--> RECOVERING
 *   RECOVERING, LIVE --newer instance--> FENCED
 *   RECOVERING, LIVE --cannot recover--> FAILED
 *   any --instance stops--> STOPPED
 * </pre>
 */
public enum TaskState {
    /**
     * Another application instance owns the partition (or none does yet): calls are recorded here and run there;
     * reads of its keys are not served here.
     */
    ELSEWHERE,
    /** Restoring the newest checkpoint and replaying the log after it; calls are recorded, reads wait. */
    RECOVERING,
    /** Caught up with the log: runs records as they come, serves reads. */
    LIVE,
    /** A newer instance owns the partition: this one stops processing it for good. */
    FENCED,
    /** Recovery is impossible without intervention (a trimmed log without checkpoint, an unreadable checkpoint). */
    FAILED,
    /** This application instance stopped. */
    STOPPED;

    /**
     * @return the states this one may change to (a state may change to itself, with a new detail, where listed)
     */
    public Set<TaskState> next() {
        return switch (this) {
            case ELSEWHERE -> EnumSet.of(RECOVERING, STOPPED);
            case RECOVERING -> EnumSet.of(RECOVERING, LIVE, FENCED, FAILED, STOPPED);
            case LIVE -> EnumSet.of(RECOVERING, FENCED, FAILED, STOPPED);
            case FENCED, FAILED -> EnumSet.of(STOPPED);
            case STOPPED -> EnumSet.noneOf(TaskState.class);
        };
    }

    /**
     * @return whether calls are refused: the task will not run them here
     */
    public boolean refusesCalls() {
        return this == FENCED || this == FAILED || this == STOPPED;
    }

    public String display() {
        return name().toLowerCase();
    }
}
