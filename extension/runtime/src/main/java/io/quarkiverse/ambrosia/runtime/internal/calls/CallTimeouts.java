package io.quarkiverse.ambrosia.runtime.internal.calls;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.quarkiverse.ambrosia.runtime.internal.task.TaskState;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * Times out a task's calls to other immortals: at a call's deadline, unless its reply came first, the timeout is
 * recorded in the task's own log, and takes effect when the dispatcher reads it, so a replay sees it at the same point.
 */
public final class CallTimeouts {

    private static final Logger LOG = Logger.getLogger(CallTimeouts.class);
    private static final long RETRY_MILLIS = 1000;

    private final String immortal;
    private final String logTopic;
    private final PartitionTask task;
    private final Supplier<Producer<byte[], byte[]>> producer;
    private final Supplier<ScheduledExecutorService> timers;

    public CallTimeouts(String immortal, String logTopic, PartitionTask task, Supplier<Producer<byte[], byte[]>> producer,
            Supplier<ScheduledExecutorService> timers) {
        this.immortal = immortal;
        this.logTopic = logTopic;
        this.task = task;
        this.producer = producer;
        this.timers = timers;
    }

    /**
     * Arms the timeout of every outstanding call that has none: calls written by the last commit, and after recovery
     * the calls the replay left waiting.
     */
    public void arm() {
        for (Outstanding call : task.calls().all()) {
            if (!call.armed()) {
                schedule(call, Math.max(0, call.deadline - System.currentTimeMillis()));
            }
        }
    }

    private void schedule(Outstanding call, long delayMillis) {
        call.timer = timers.get().schedule(() -> record(call), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void record(Outstanding call) {
        if (task.status().state() != TaskState.LIVE || !task.calls().waiting(call)) {
            return;
        }
        Envelope timeout = Envelope.timeout(immortal, call.callId, System.currentTimeMillis());
        try {
            producer.get().send(timeout.toProducerRecord(logTopic, task.partition()), (metadata, failure) -> {
                if (failure != null) {
                    LOG.warnf("Immortal %s: recording the timeout of call %s failed (%s); trying again", immortal,
                            call.callId, failure.getMessage());
                    schedule(call, RETRY_MILLIS);
                }
            });
        } catch (KafkaException e) {
            LOG.warnf("Immortal %s: recording the timeout of call %s failed (%s); trying again", immortal, call.callId,
                    e.getMessage());
            schedule(call, RETRY_MILLIS);
        }
    }
}
