package io.quarkiverse.ambrosia.runtime.internal.commit;

import java.util.ArrayList;
import java.util.List;

/**
 * The outputs a task's records made since its last commit (calls, replies, control records), numbered by the task's
 * output sequence, which is checkpointed. Outputs numbered below what the previous instance committed were written
 * by it: a replay makes them again, and they are suppressed ({@link #alreadyWritten}).
 */
public final class Outbox {

    private final List<Output> outputs = new ArrayList<>();
    private final CommittedPosition committed;
    private long nextSequence;

    /**
     * @param committed what the previous instance committed, read at each recovery
     */
    public Outbox(CommittedPosition committed) {
        this.committed = committed;
    }

    public long allocateSequence() {
        return nextSequence++;
    }

    public long nextSequence() {
        return nextSequence;
    }

    public void add(Output output) {
        outputs.add(output);
    }

    public boolean isEmpty() {
        return outputs.isEmpty();
    }

    /**
     * @return the outputs to send in this commit, in the order they were made; the outbox is empty after
     */
    public List<Output> take() {
        List<Output> taken = List.copyOf(outputs);
        outputs.clear();
        return taken;
    }

    /**
     * @return whether the output was already written by an earlier instance (a replay reproduces it)
     */
    public boolean alreadyWritten(Output output) {
        return output.sequence() >= 0 && output.sequence() < committed.nextSequence();
    }

    /**
     * Restores the sequence of a checkpoint and forgets the outputs not yet committed.
     */
    public void restore(long sequence) {
        outputs.clear();
        nextSequence = sequence;
    }
}
