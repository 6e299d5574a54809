package io.quarkiverse.ambrosia.runtime.internal.log;

import io.quarkiverse.ambrosia.runtime.internal.answer.Outcomes;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.task.TaskStatus;

/**
 * The partitions of an immortal's log as the record stage sees them: where a call goes, the status of the task that
 * runs it, and the outcomes kept there.
 */
public interface LogPartitions {

    /**
     * @return the partition a call of {@code handler} with these arguments is appended to (its key's, or 0)
     * @throws IllegalArgumentException if the call's {@code @Key} argument is {@code null}
     */
    int partitionOf(Handler handler, Object[] arguments);

    TaskStatus status(int partition);

    Outcomes outcomes(int partition);
}
