package io.quarkiverse.ambrosia.runtime.internal.dispatch;

import java.util.function.LongSupplier;

import io.quarkiverse.ambrosia.runtime.internal.wire.Kind;

/**
 * Decides, record by record, in which order a task runs its log: impulses (and drain records) run in log order but
 * wait while the task defers them; records from immortals (calls, replies, timeouts, resume) are applied as they
 * arrive, once.
 * <p>
 * Impulses wait while too many calls are outstanding (back-pressure, {@code calls.max-outstanding}) or while a
 * checkpoint drain waits for the replies to the outstanding calls. A deferred impulse and those after it are skipped
 * and read again from {@link #nextUnprocessed()} once the wait is over ({@link #rewindDue}). So at any point, every
 * impulse before {@code nextUnprocessed} has run, none after it has, and every record from an immortal up to
 * {@link #appliedThrough()} has been applied. Both follow from the log alone, so a replay defers exactly the same
 * impulses.
 * <p>
 * Owned by the task's dispatcher thread. No I/O: its input is a record's offset and kind and the number of calls
 * outstanding, its output a {@link Decision}.
 */
public final class AdmissionGate {

    /**
     * What to do with a record.
     */
    public enum Decision {
        /** A record from an immortal not applied before: apply it now. */
        APPLY,
        /** A resume record not applied before: the drain is given up, impulses run again. */
        RESUME,
        /** A record from an immortal applied before (before a rewind, or before the checkpoint): nothing. */
        APPLIED_BEFORE,
        /** An impulse (or drain) after one that waits: skipped, read again after the rewind. */
        SKIP,
        /** The first impulse (or drain) that must wait: skipped, and impulses wait from here. */
        DEFER,
        /** A drain record while no call is outstanding: take the checkpoint now, if one is due. */
        DRAIN_NOW,
        /** A drain record while calls are outstanding: impulses wait until their replies are in. */
        DRAIN_BEGIN,
        /** An impulse (or a record of no known kind, to reject): run it now. */
        RUN
    }

    private final int maxOutstanding;
    // the monotonic time, for how long a drain lasts: read only while one begins or is under way
    private final LongSupplier nanoTime;
    private long nextUnprocessed;
    private long appliedThrough = -1;
    private boolean deferring;
    private boolean draining;
    private long drainStartedNanos;
    // a drain or resume record is on its way to the log: not asked for twice
    private boolean drainRequested;
    private boolean resumeRequested;

    public AdmissionGate(int maxOutstanding, LongSupplier nanoTime) {
        this.maxOutstanding = maxOutstanding;
        this.nanoTime = nanoTime;
    }

    /**
     * Decides about the record at {@code offset} and moves the position past it.
     *
     * @param kind the record's kind, or {@code null} for a record whose kind this version does not know
     * @param outstanding how many calls wait for replies now
     * @param quiescent whether no call is outstanding and no handler waits
     */
    public Decision admit(long offset, Kind kind, int outstanding, boolean quiescent) {
        if (kind != null && kind.appliedOnArrival()) {
            Decision decision = Decision.APPLIED_BEFORE;
            if (offset > appliedThrough) {
                if (kind == Kind.RESUME) {
                    draining = false;
                    resumeRequested = false;
                    decision = Decision.RESUME;
                } else {
                    decision = Decision.APPLY;
                }
                appliedThrough = offset;
            }
            if (!deferring) {
                nextUnprocessed = offset + 1;
            }
            return decision;
        }
        if (deferring) {
            return Decision.SKIP;
        }
        if (mustDefer(outstanding)) {
            deferring = true;
            nextUnprocessed = offset;
            return Decision.DEFER;
        }
        nextUnprocessed = offset + 1;
        if (kind == Kind.DRAIN) {
            drainRequested = false;
            if (quiescent) {
                return Decision.DRAIN_NOW;
            }
            draining = true;
            drainStartedNanos = nanoTime.getAsLong();
            return Decision.DRAIN_BEGIN;
        }
        return Decision.RUN;
    }

    /**
     * After a record from an immortal was applied: if a drain waited and the replies are in, it is over.
     *
     * @return how long the impulses waited, in nanoseconds, if the drain ended here (checkpoint now); else -1
     */
    public long drainEnds(boolean quiescent) {
        if (!draining || !quiescent) {
            return -1;
        }
        draining = false;
        return nanoTime.getAsLong() - drainStartedNanos;
    }

    /**
     * @return whether impulses wait and need not any more: the position is to be read again from
     *         {@link #nextUnprocessed()} (then call {@link #rewound()})
     */
    public boolean rewindDue(int outstanding) {
        return deferring && !mustDefer(outstanding);
    }

    public void rewound() {
        deferring = false;
    }

    /**
     * @return whether a drain record is to be written (one is not on its way, and no drain is under way)
     */
    public boolean requestDrain() {
        if (drainRequested || draining) {
            return false;
        }
        drainRequested = true;
        return true;
    }

    /**
     * @return whether a resume record is to be written: a drain has lasted longer than {@code timeoutNanos}
     */
    public boolean requestResume(long timeoutNanos) {
        if (!draining || resumeRequested || nanoTime.getAsLong() - drainStartedNanos <= timeoutNanos) {
            return false;
        }
        resumeRequested = true;
        return true;
    }

    private boolean mustDefer(int outstanding) {
        return draining || outstanding >= maxOutstanding;
    }

    public boolean deferring() {
        return deferring;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * @return the offset of the first impulse not run yet: where a checkpoint or a commit says to start again
     */
    public long nextUnprocessed() {
        return nextUnprocessed;
    }

    /**
     * @return the offset of the last record from an immortal applied, or -1
     */
    public long appliedThrough() {
        return appliedThrough;
    }

    /**
     * Starts again at a checkpoint's position, nothing deferred, no drain under way or asked for.
     */
    public void restore(long logOffset, long restoredAppliedThrough) {
        nextUnprocessed = logOffset;
        appliedThrough = restoredAppliedThrough;
        deferring = false;
        draining = false;
        drainRequested = false;
        resumeRequested = false;
    }
}
