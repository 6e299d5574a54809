package io.quarkiverse.ambrosia.runtime.internal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * However the client reports that a newer instance took over (at initTransactions, at a commit, as the cause of a
 * failed send), the task sees one {@link TaskFencedException}; other failures pass unchanged.
 */
class TaskProducerTest {

    private final TopicNames names = new TopicNames("p.", "Counter");

    private MockProducer<byte[], byte[]> mock() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void aTransactionCommitsThroughTheWrapper() {
        MockProducer<byte[], byte[]> mock = mock();
        TaskProducer producer = new TaskProducer(mock, names.transactionalId(0));
        producer.init();
        producer.begin();
        producer.send(new ProducerRecord<>(names.log(), 0, null, new byte[1]), null);
        producer.sendOffsets(names.logPartition(0), new OffsetAndMetadata(1), new ConsumerGroupMetadata(names.group()));
        producer.commit();
        assertThat(mock.transactionCommitted()).isTrue();
        assertThat(mock.history()).hasSize(1);
        assertThat(mock.consumerGroupOffsetsHistory()).hasSize(1);
    }

    @Test
    void fencingAtInitOrCommitIsOneDomainException() {
        MockProducer<byte[], byte[]> fencedAtInit = mock();
        fencedAtInit.initTransactionException = new ProducerFencedException("epoch bumped");
        assertThatThrownBy(() -> new TaskProducer(fencedAtInit, names.transactionalId(0)).init())
                .isInstanceOf(TaskFencedException.class)
                .hasMessage("fenced by a newer instance with transactional id p.Counter-0")
                .hasCauseInstanceOf(ProducerFencedException.class);

        MockProducer<byte[], byte[]> fencedAtCommit = mock();
        TaskProducer producer = new TaskProducer(fencedAtCommit, names.transactionalId(3));
        producer.init();
        producer.begin();
        fencedAtCommit.commitTransactionException = new InvalidProducerEpochException("stale epoch");
        assertThatThrownBy(producer::commit).isInstanceOf(TaskFencedException.class)
                .extracting(e -> ((TaskFencedException) e).transactionalId()).isEqualTo("p.Counter-3");
    }

    @Test
    void otherFailuresPassUnchangedAndFencingIsFoundAmongCauses() {
        MockProducer<byte[], byte[]> mock = mock();
        TaskProducer producer = new TaskProducer(mock, names.transactionalId(0));
        producer.init();
        mock.beginTransactionException = new KafkaException("broker gone");
        assertThatThrownBy(producer::begin).isExactlyInstanceOf(KafkaException.class).hasMessage("broker gone");
        assertThat(TaskProducer.isFencing(new ExecutionException(new KafkaException(new ProducerFencedException("x")))))
                .isTrue();
        assertThat(TaskProducer.isFencing(new ExecutionException(new KafkaException("timeout")))).isFalse();
    }

    @Test
    void everyPartitionHasItsOwnNames() {
        assertThat(names.logPartition(2).toString()).isEqualTo("p.Counter-2");
        assertThat(names.checkpointPartition(2).toString()).isEqualTo("p.Counter.checkpoints-2");
        assertThat(names.transactionalId(2)).isEqualTo("p.Counter-2");
        assertThat(names.group()).isEqualTo("p.Counter");
        assertThat(names.logOf("Ledger")).isEqualTo("p.Ledger");
    }
}
