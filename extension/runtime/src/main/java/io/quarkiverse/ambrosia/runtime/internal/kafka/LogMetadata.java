package io.quarkiverse.ambrosia.runtime.internal.kafka;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Waits until the append producer has a log's partition metadata, for the first call of an instance. The producer
 * never blocks ({@code max.block.ms=0}): asked for a topic it does not know, it fails at once and fetches the metadata
 * in the background. It tells nobody when that arrives, so this asks again every few milliseconds.
 */
public final class LogMetadata {

    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private LogMetadata() {
    }

    /**
     * @throws TimeoutException if the metadata did not come by the deadline ({@link System#nanoTime()})
     */
    public static void await(Producer<?, ?> producer, String topic, long deadline) {
        while (true) {
            try {
                producer.partitionsFor(topic);
                return;
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
            }
            LockSupport.parkNanos(RETRY_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptException("interrupted while waiting for the metadata of " + topic);
            }
        }
    }
}
