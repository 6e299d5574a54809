package io.quarkiverse.ambrosia.runtime.internal.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * The transactional producer of one partition task: every transaction the task runs goes through here, and a fencing
 * by a newer instance, however the client reports it (at {@code initTransactions}, a send, an offset commit or the
 * commit itself, directly or as a cause), comes out as one {@link TaskFencedException}.
 */
public final class TaskProducer implements AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final String transactionalId;

    public TaskProducer(Producer<byte[], byte[]> producer, String transactionalId) {
        this.producer = producer;
        this.transactionalId = transactionalId;
    }

    /**
     * Fences any older instance and aborts its unfinished transaction.
     */
    public void init() {
        run(producer::initTransactions);
    }

    public void begin() {
        run(producer::beginTransaction);
    }

    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        try {
            return producer.send(record, callback);
        } catch (RuntimeException e) {
            throw fencedOr(e);
        }
    }

    public void sendOffsets(TopicPartition partition, OffsetAndMetadata position, ConsumerGroupMetadata group) {
        run(() -> producer.sendOffsetsToTransaction(Map.of(partition, position), group));
    }

    public void commit() {
        run(producer::commitTransaction);
    }

    /**
     * @return the client itself, for writers that take one (the checkpoint store)
     */
    public Producer<byte[], byte[]> client() {
        return producer;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            throw fencedOr(e);
        }
    }

    private RuntimeException fencedOr(RuntimeException e) {
        return isFencing(e) ? new TaskFencedException(transactionalId, e) : e;
    }

    /**
     * @return whether the failure, or one of its causes, says a newer producer with the same transactional id exists
     */
    public static boolean isFencing(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TaskFencedException || t instanceof ProducerFencedException
                    || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }
}
