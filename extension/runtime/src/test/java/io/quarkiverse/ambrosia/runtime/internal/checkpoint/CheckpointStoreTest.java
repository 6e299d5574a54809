package io.quarkiverse.ambrosia.runtime.internal.checkpoint;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.wire.CheckpointManifest;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * The checkpoint store without a broker: what it writes through a {@link MockProducer} is put, at the offsets the
 * producer gave it, into a topic that a {@link MockConsumer} serves the way the store's consumer reads
 * ({@code read_committed}: offsets of aborted records are passed over; {@code earliest}: a seek below the log start
 * reads from the log start). The chunk size is 4 bytes, so a state of 11 bytes is 3 chunks.
 */
@Timeout(30)
class CheckpointStoreTest {

    static final String TOPIC = "ambrosia.Counter.checkpoints";
    static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    static final String STATE = "{\"value\":5}"; // 3 chunks
    static final String SYSTEM = "{\"version\":2}"; // 4 chunks

    final CheckpointStore store = new CheckpointStore("Counter", PARTITION, new ObjectMapper(), 4, "json");
    final RecordingProducer producer = new RecordingProducer();
    /** The committed records of the checkpoint topic by offset. */
    final TreeMap<Long, ConsumerRecord<byte[], byte[]>> topic = new TreeMap<>();
    long logStart;
    long end;
    int published;
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            Object[] parameters = record.getParameters();
            warnings.add(parameters == null ? record.getMessage() : String.format(record.getMessage(), parameters));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void setUp() {
        producer.initTransactions();
        Logger.getLogger(CheckpointStore.class.getName()).addHandler(capture);
    }

    @AfterEach
    void tearDown() {
        Logger.getLogger(CheckpointStore.class.getName()).removeHandler(capture);
    }

    @Test
    void aCheckpointComesBackAsItWasWritten() throws Exception {
        CheckpointManifest written = write(20, STATE, SYSTEM);

        CheckpointStore.Loaded loaded = loadLatest().orElseThrow();
        assertThat(new String(loaded.state(), UTF_8)).isEqualTo(STATE);
        assertThat(new String(loaded.system(), UTF_8)).isEqualTo(SYSTEM);
        assertThat(loaded.manifestOffset()).isEqualTo(7);
        assertThat(loaded.manifest()).isEqualTo(written).isEqualTo(new CheckpointManifest(1, "Counter",
                written.checkpointId(), 20, 3, 11, CheckpointStore.sha256(STATE.getBytes(UTF_8)), 0, "json",
                written.createdAt(), 4, 13, CheckpointStore.sha256(SYSTEM.getBytes(UTF_8))));

        // on the wire (docs/wire-format.md): every record keyed by the id, chunks indexed per part, the manifest last
        assertThat(topic.values()).allSatisfy(record -> {
            assertThat(new String(record.key(), UTF_8)).isEqualTo(written.checkpointId());
            assertThat(header(record, CheckpointStore.HEADER_CHECKPOINT_ID)).isEqualTo(written.checkpointId());
            assertThat(header(record, Envelope.HEADER_VERSION)).isEqualTo("2");
        });
        assertThat(topic.values()).extracting(record -> header(record, Envelope.HEADER_KIND) + "/"
                + header(record, CheckpointStore.HEADER_PART) + "/" + header(record, CheckpointStore.HEADER_CHUNK))
                .containsExactly("checkpoint-chunk/null/0", "checkpoint-chunk/null/1", "checkpoint-chunk/null/2",
                        "checkpoint-chunk/system/0", "checkpoint-chunk/system/1", "checkpoint-chunk/system/2",
                        "checkpoint-chunk/system/3", "checkpoint-manifest/null/null");
        assertThat(manifestOf(written).value()).isEqualTo(new ObjectMapper().writeValueAsBytes(written));
    }

    @Test
    void anEmptyStateIsOneEmptyChunkAndAnEmptySystemStateNone() throws Exception {
        write(0, "", "");

        CheckpointStore.Loaded loaded = loadLatest().orElseThrow();
        assertThat(loaded.state()).isEmpty();
        assertThat(loaded.system()).isEmpty();
        assertThat(loaded.manifestOffset()).isEqualTo(1);
        assertThat(loaded.manifest().chunks()).isEqualTo(1);
        assertThat(loaded.manifest().systemChunks()).isZero();
        assertThat(loaded.manifest().systemSha256()).isNull();
    }

    @Test
    void theNewestCommittedCheckpointWins() throws Exception {
        CheckpointManifest first = write(10, "first", SYSTEM);
        write(20, "second", SYSTEM);
        CheckpointManifest third = write(30, "third", "");
        // an aborted checkpoint takes offsets that a read_committed reader passes over
        producer.beginTransaction();
        store.write(producer, 40, "aborted".getBytes(UTF_8), new byte[0]);
        producer.abortTransaction();
        publish();
        assertThat(end).isGreaterThan(topic.lastKey() + 1);

        CheckpointStore.Loaded loaded = loadLatest().orElseThrow();
        assertThat(loaded.manifest()).isEqualTo(third);
        assertThat(new String(loaded.state(), UTF_8)).isEqualTo("third");
        assertThat(loaded.system()).isEmpty();
        assertThat(first.firstChunkOffset()).isZero();
        assertThat(third.firstChunkOffset()).isEqualTo(manifestOf(third).offset() - third.chunks());
        assertThat(warnings).isEmpty();
    }

    @Test
    void aTornCheckpointIsSkipped() throws Exception {
        CheckpointManifest complete = write(10, STATE, SYSTEM);
        CheckpointManifest middle = write(20, STATE, SYSTEM);
        CheckpointManifest last = write(30, STATE, SYSTEM);
        CheckpointManifest unfinished = write(40, STATE, SYSTEM);
        topic.remove(chunk(middle, null, 1).offset());
        topic.remove(chunk(last, CheckpointStore.PART_SYSTEM, 3).offset());
        // chunks without a manifest are no checkpoint at all: passed over without a word
        topic.remove(manifestOf(unfinished).offset());

        assertThat(loadLatest().orElseThrow().manifest()).isEqualTo(complete);
        assertThat(warnings).containsExactly(
                skipping(last) + "3 of 4 chunks found (12 of 13 bytes) of the system state; it was trimmed or torn",
                skipping(middle) + "chunk 1 of the state is out of order or too large at offset "
                        + chunk(middle, null, 2).offset());
    }

    @Test
    void chunksOutOfOrderOrRepeatedSkipTheCheckpoint() throws Exception {
        CheckpointManifest complete = write(10, STATE, SYSTEM);
        CheckpointManifest swapped = write(20, STATE, SYSTEM);
        CheckpointManifest repeated = write(30, STATE, SYSTEM);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(records(swapped));
        records.add(0, records.remove(1));
        List<ConsumerRecord<byte[], byte[]>> again = new ArrayList<>(records(repeated));
        again.add(1, again.get(0));
        records.addAll(again);
        rewrite(swapped.firstChunkOffset(), records);

        assertThat(loadLatest().orElseThrow().manifest()).isEqualTo(complete);
        assertThat(warnings).containsExactly(
                skipping(repeated) + "chunk 1 of the state is out of order or too large"
                        + " at offset " + (repeated.firstChunkOffset() + 1),
                skipping(swapped) + "chunk 0 of the state is out of order or too large at offset "
                        + swapped.firstChunkOffset());
    }

    @Test
    void chunksOfAnotherCheckpointBetweenItsOwnAreIgnored() throws Exception {
        CheckpointManifest checkpoint = write(10, STATE, "");
        CheckpointManifest other = write(20, "other state", "");
        List<ConsumerRecord<byte[], byte[]>> mine = records(checkpoint);
        List<ConsumerRecord<byte[], byte[]>> theirs = records(other);
        // c0 o0 c1 o1 c2 o2 manifest: the other checkpoint's chunks have the same indexes
        rewrite(0, List.of(mine.get(0), theirs.get(0), mine.get(1), theirs.get(1), mine.get(2), theirs.get(2), mine.get(3)));

        CheckpointStore.Loaded loaded = loadLatest().orElseThrow();
        assertThat(loaded.manifest()).isEqualTo(checkpoint);
        assertThat(loaded.manifestOffset()).isEqualTo(6);
        assertThat(new String(loaded.state(), UTF_8)).isEqualTo(STATE);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aTrimmedCheckpointIsSkipped() throws Exception {
        CheckpointManifest older = write(10, STATE, SYSTEM);
        CheckpointManifest newer = write(20, STATE, SYSTEM);

        logStart = older.firstChunkOffset() + 1;
        assertThat(loadLatest().orElseThrow().manifest()).isEqualTo(newer);

        logStart = newer.firstChunkOffset() + 1;
        assertThat(loadLatest()).isEmpty();
        assertThat(warnings).containsExactly(skipping(newer) + "chunk 0 of the state is out of order or too large at offset "
                + logStart);

        warnings.clear();
        logStart = manifestOf(newer).offset();
        assertThat(loadLatest()).isEmpty();
        assertThat(warnings).containsExactly(skipping(newer) + "0 of 3 chunks found (0 of 11 bytes) of the state;"
                + " it was trimmed or torn");
    }

    @Test
    void aChunkThatDoesNotMatchTheHashSkipsTheCheckpoint() throws Exception {
        CheckpointManifest complete = write(10, STATE, SYSTEM);
        CheckpointManifest badState = write(20, STATE, SYSTEM);
        CheckpointManifest badSystem = write(30, STATE, SYSTEM);
        replaceValue(chunk(badState, null, 1), value -> flipFirstBit(value));
        replaceValue(chunk(badSystem, CheckpointStore.PART_SYSTEM, 2), value -> flipFirstBit(value));

        assertThat(loadLatest().orElseThrow().manifest()).isEqualTo(complete);
        assertThat(warnings).containsExactly(
                skipping(badSystem) + "the system state does not match the manifest's SHA-256",
                skipping(badState) + "the state does not match the manifest's SHA-256");
    }

    @Test
    void chunksOfTheWrongSizeSkipTheCheckpoint() throws Exception {
        CheckpointManifest complete = write(10, STATE, SYSTEM);
        CheckpointManifest tooLong = write(20, STATE, SYSTEM);
        CheckpointManifest tooShort = write(30, STATE, SYSTEM);
        replaceValue(chunk(tooLong, null, 0), value -> "{\"val".getBytes(UTF_8));
        replaceValue(chunk(tooShort, null, 1), value -> "lue".getBytes(UTF_8));

        assertThat(loadLatest().orElseThrow().manifest()).isEqualTo(complete);
        assertThat(warnings).containsExactly(
                skipping(tooShort) + "3 of 3 chunks found (10 of 11 bytes) of the state; it was trimmed or torn",
                skipping(tooLong) + "chunk 2 of the state is out of order or too large at offset "
                        + chunk(tooLong, null, 2).offset());
    }

    @Test
    void aManifestThatCannotBeDecodedIsSkipped() throws Exception {
        CheckpointManifest complete = write(10, STATE, SYSTEM);
        CheckpointManifest garbled = write(20, STATE, SYSTEM);
        replaceValue(manifestOf(garbled), value -> "{\"version\":1,\"chunks\":".getBytes(UTF_8));

        assertThat(loadLatest().orElseThrow().manifest()).isEqualTo(complete);
        assertThat(warnings).singleElement(InstanceOfAssertFactories.STRING)
                .startsWith("Immortal Counter: skipping the checkpoint manifest at"
                        + " offset " + manifestOf(garbled).offset() + " of " + PARTITION + ": it cannot be decoded (");
    }

    @Test
    void aManifestRecordThatHoldsNoUsableManifestIsSkipped() throws Exception {
        CheckpointManifest complete = write(10, STATE, SYSTEM);
        List<String> expected = new ArrayList<>();
        // a tombstone, JSON null, no fields, a negative first chunk offset: nothing to follow
        for (UnaryOperator<String> breakage : List.<UnaryOperator<String>>of(json -> null, json -> "null", json -> "{}",
                json -> json.replace("\"firstChunkOffset\":", "\"firstChunkOffset\":-"))) {
            ConsumerRecord<byte[], byte[]> manifest = manifestOf(write(20, STATE, SYSTEM));
            String json = breakage.apply(new String(manifest.value(), UTF_8));
            replaceValue(manifest, value -> json == null ? null : json.getBytes(UTF_8));
            expected.add(0, "Immortal Counter: skipping the checkpoint manifest at offset " + manifest.offset() + " of "
                    + PARTITION + ": it names no checkpoint id or first chunk offset");
        }
        CheckpointManifest negative = write(30, STATE, SYSTEM);
        replaceValue(manifestOf(negative),
                value -> new String(value, UTF_8).replace("\"size\":11", "\"size\":-1").getBytes(UTF_8));
        expected.add(0, "Immortal Counter: skipping checkpoint " + negative.checkpointId()
                + ": its size -1 or system size 13 is not one an array can hold");

        assertThat(loadLatest().orElseThrow().manifest()).isEqualTo(complete);
        assertThat(warnings).containsExactlyElementsOf(expected);
    }

    @Test
    void aChunkWithoutANumberOrAValueSkipsTheCheckpoint() throws Exception {
        CheckpointManifest complete = write(10, STATE, SYSTEM);
        CheckpointManifest unnumbered = write(20, STATE, SYSTEM);
        CheckpointManifest tombstone = write(30, STATE, SYSTEM);
        ConsumerRecord<byte[], byte[]> renumbered = chunk(unnumbered, null, 1);
        renumbered.headers().add(CheckpointStore.HEADER_CHUNK, "one".getBytes(UTF_8));
        ConsumerRecord<byte[], byte[]> emptied = chunk(tombstone, null, 1);
        replaceValue(emptied, value -> null);

        assertThat(loadLatest().orElseThrow().manifest()).isEqualTo(complete);
        assertThat(warnings).containsExactly(
                skipping(tombstone) + "chunk 1 of the state is out of order or too large at offset " + emptied.offset(),
                skipping(unnumbered) + "chunk 1 of the state is out of order or too large at offset "
                        + renumbered.offset());
    }

    @Test
    void theBackwardsScanWidensUntilItReachesALargeCheckpoint() throws Exception {
        String large = "x".repeat(4 * 600);
        CheckpointManifest complete = write(10, large, SYSTEM);
        // 1,100 chunks without a manifest after it: more than the windows of 8, 16, ... 256 and then 512 records cover
        CheckpointManifest torn = write(20, "y".repeat(4 * 1100), "");
        topic.remove(manifestOf(torn).offset());

        CheckpointStore.Loaded loaded = loadLatest().orElseThrow();
        assertThat(loaded.manifest()).isEqualTo(complete);
        assertThat(loaded.manifestOffset()).isEqualTo(604);
        assertThat(new String(loaded.state(), UTF_8)).isEqualTo(large);
        assertThat(end - loaded.manifestOffset()).isGreaterThan(8 + 16 + 32 + 64 + 128 + 256 + 512);
    }

    @Test
    void anEmptyOrWhollyTrimmedTopicHoldsNoCheckpoint() throws Exception {
        assertThat(loadLatest()).isEmpty();

        write(10, STATE, SYSTEM);
        logStart = end;
        assertThat(loadLatest()).isEmpty();
        assertThat(warnings).isEmpty();
    }

    // --- writing: each checkpoint in a transaction of its own, as the dispatcher does

    CheckpointManifest write(long logOffset, String state, String system) throws Exception {
        producer.beginTransaction();
        CheckpointManifest manifest = store.write(producer, logOffset, state.getBytes(UTF_8), system.getBytes(UTF_8));
        producer.commitTransaction();
        publish();
        return manifest;
    }

    /** Puts the records the producer committed since the last call into the topic, at the offsets it gave them. */
    void publish() {
        List<ProducerRecord<byte[], byte[]>> history = producer.history();
        for (ProducerRecord<byte[], byte[]> record : history.subList(published, history.size())) {
            long offset = producer.offsets.get(record);
            topic.put(offset, new ConsumerRecord<>(TOPIC, 0, offset, 0L, TimestampType.CREATE_TIME, record.key().length,
                    record.value().length, record.key(), record.value(), new RecordHeaders(record.headers().toArray()),
                    Optional.empty()));
        }
        published = history.size();
        end = producer.offsets.values().stream().mapToLong(offset -> offset + 1).max().orElse(0);
    }

    // --- reading

    Optional<CheckpointStore.Loaded> loadLatest() throws Exception {
        return store.loadLatest(new TopicConsumer());
    }

    /** Serves {@link #topic} as the store's consumer reads it, a few records a poll. */
    final class TopicConsumer extends MockConsumer<byte[], byte[]> {
        TopicConsumer() {
            super("earliest");
            updateBeginningOffsets(Map.of(PARTITION, logStart));
            updateEndOffsets(Map.of(PARTITION, end));
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            long position = Math.max(logStart, position(PARTITION));
            Long next = topic.ceilingKey(position);
            seek(PARTITION, next == null ? Math.max(position, end) : next);
            topic.tailMap(position).values().stream().limit(100).forEach(this::addRecord);
            return super.poll(Duration.ZERO);
        }

        @Override
        public synchronized void seek(TopicPartition partition, long offset) {
            if (offset < 0) { // as KafkaConsumer
                throw new IllegalArgumentException("seek offset must not be a negative number");
            }
            super.seek(partition, offset);
        }
    }

    // --- the records of a checkpoint, and changing them

    List<ConsumerRecord<byte[], byte[]>> records(CheckpointManifest manifest) {
        return topic.values().stream()
                .filter(record -> manifest.checkpointId().equals(header(record, CheckpointStore.HEADER_CHECKPOINT_ID)))
                .toList();
    }

    ConsumerRecord<byte[], byte[]> manifestOf(CheckpointManifest manifest) {
        return records(manifest).stream()
                .filter(record -> CheckpointStore.KIND_MANIFEST.equals(header(record, Envelope.HEADER_KIND)))
                .findFirst().orElseThrow();
    }

    ConsumerRecord<byte[], byte[]> chunk(CheckpointManifest manifest, String part, int index) {
        return records(manifest).stream()
                .filter(record -> CheckpointStore.KIND_CHUNK.equals(header(record, Envelope.HEADER_KIND)))
                .filter(record -> Integer.toString(index).equals(header(record, CheckpointStore.HEADER_CHUNK)))
                .filter(record -> Objects.equals(part, header(record, CheckpointStore.HEADER_PART)))
                .findFirst().orElseThrow();
    }

    void replaceValue(ConsumerRecord<byte[], byte[]> record, UnaryOperator<byte[]> change) {
        topic.put(record.offset(), copy(record, record.offset(), change.apply(record.value())));
    }

    /** Replaces the topic from {@code from} on with these records, one an offset. */
    void rewrite(long from, List<ConsumerRecord<byte[], byte[]>> records) {
        topic.tailMap(from).clear();
        long offset = from;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            topic.put(offset, copy(record, offset, record.value()));
            offset++;
        }
        end = offset;
    }

    static ConsumerRecord<byte[], byte[]> copy(ConsumerRecord<byte[], byte[]> record, long offset, byte[] value) {
        return new ConsumerRecord<>(TOPIC, 0, offset, record.timestamp(), record.timestampType(),
                record.serializedKeySize(), value == null ? -1 : value.length, record.key(), value, record.headers(),
                Optional.empty());
    }

    static byte[] flipFirstBit(byte[] value) {
        byte[] flipped = value.clone();
        flipped[0] ^= 1;
        return flipped;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        return CheckpointStore.header(record, key);
    }

    /** The start of the warning the store logs when it skips this checkpoint. */
    String skipping(CheckpointManifest manifest) {
        return "Immortal Counter: skipping checkpoint " + manifest.checkpointId() + " (manifest at offset "
                + manifestOf(manifest).offset() + "): ";
    }

    /** A MockProducer that remembers the offset it gave each record. */
    static final class RecordingProducer extends MockProducer<byte[], byte[]> {
        final Map<ProducerRecord<byte[], byte[]>, Long> offsets = new IdentityHashMap<>();

        RecordingProducer() {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            return super.send(record, (metadata, exception) -> {
                if (metadata != null) {
                    offsets.put(record, metadata.offset());
                }
                if (callback != null) {
                    callback.onCompletion(metadata, exception);
                }
            });
        }
    }
}
