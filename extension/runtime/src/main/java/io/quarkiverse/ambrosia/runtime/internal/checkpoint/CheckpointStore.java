package io.quarkiverse.ambrosia.runtime.internal.checkpoint;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.runtime.internal.wire.CheckpointManifest;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * Writes checkpoints as chunk records followed by a manifest, and finds the newest complete one.
 * <p>
 * A checkpoint counts only once its manifest is written; the chunks and the manifest are written in the dispatcher's
 * transaction, so an interrupted checkpoint is aborted and invisible to {@code read_committed} readers. A manifest
 * whose chunks are missing or do not match its hash is skipped in favour of the previous one.
 */
public final class CheckpointStore {

    public static final String HEADER_CHECKPOINT_ID = "checkpoint-id";
    public static final String HEADER_CHUNK = "chunk";
    public static final String HEADER_PART = "part";
    public static final String PART_SYSTEM = "system";
    public static final String KIND_CHUNK = "checkpoint-chunk";
    public static final String KIND_MANIFEST = "checkpoint-manifest";

    private static final Logger LOG = Logger.getLogger(CheckpointStore.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final String immortal;
    private final TopicPartition partition;
    private final ObjectMapper mapper;
    private final int chunkSize;
    private final String codecName;

    /**
     * @param partition where the checkpoints of one partition of the immortal's log are kept
     */
    public CheckpointStore(String immortal, TopicPartition partition, ObjectMapper mapper, int chunkSize,
            String codecName) {
        this.immortal = immortal;
        this.partition = partition;
        this.mapper = mapper;
        this.chunkSize = chunkSize;
        this.codecName = codecName;
    }

    public TopicPartition partition() {
        return partition;
    }

    /**
     * Sends the checkpoint inside the producer's open transaction; it counts once that transaction commits.
     */
    public CheckpointManifest write(Producer<byte[], byte[]> producer, long logOffset, byte[] state, byte[] system)
            throws InterruptedException, ExecutionException, IOException {
        String id = UUID.randomUUID().toString();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        int chunks = sendChunks(producer, id, null, state, sent);
        int systemChunks = system.length == 0 ? 0 : sendChunks(producer, id, PART_SYSTEM, system, sent);
        long firstChunkOffset = sent.get(0).get().offset();
        for (Future<RecordMetadata> future : sent) {
            future.get();
        }
        CheckpointManifest manifest = new CheckpointManifest(1, immortal, id, logOffset, chunks, state.length,
                sha256(state), firstChunkOffset, codecName, System.currentTimeMillis(), systemChunks, system.length,
                system.length == 0 ? null : sha256(system));
        producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), id.getBytes(UTF_8),
                mapper.writeValueAsBytes(manifest), headers(KIND_MANIFEST, id))).get();
        return manifest;
    }

    private int sendChunks(Producer<byte[], byte[]> producer, String id, String part, byte[] data,
            List<Future<RecordMetadata>> sent) {
        byte[] key = id.getBytes(UTF_8);
        int chunks = Math.max(1, (data.length + chunkSize - 1) / chunkSize);
        for (int i = 0; i < chunks; i++) {
            int from = i * chunkSize;
            byte[] chunk = java.util.Arrays.copyOfRange(data, from, Math.min(data.length, from + chunkSize));
            RecordHeaders headers = headers(KIND_CHUNK, id);
            headers.add(HEADER_CHUNK, Integer.toString(i).getBytes(UTF_8));
            if (part != null) {
                headers.add(HEADER_PART, part.getBytes(UTF_8));
            }
            sent.add(producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), key, chunk, headers)));
        }
        return chunks;
    }

    /**
     * Scans the checkpoint topic backwards for the newest manifest whose chunks are all there and match its hash.
     */
    public Optional<Loaded> loadLatest(Consumer<byte[], byte[]> consumer) throws IOException {
        consumer.assign(List.of(partition));
        long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
        long upper = consumer.endOffsets(List.of(partition)).get(partition);
        int window = 8;
        while (upper > begin) {
            long lower = Math.max(begin, upper - window);
            List<ConsumerRecord<byte[], byte[]>> manifests = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : read(consumer, lower, upper)) {
                if (KIND_MANIFEST.equals(header(record, Envelope.HEADER_KIND))) {
                    manifests.add(record);
                }
            }
            for (int i = manifests.size() - 1; i >= 0; i--) {
                ConsumerRecord<byte[], byte[]> record = manifests.get(i);
                Optional<Loaded> loaded = load(consumer, record);
                if (loaded.isPresent()) {
                    return loaded;
                }
            }
            upper = lower;
            window = Math.min(window * 2, 512);
        }
        return Optional.empty();
    }

    private Optional<Loaded> load(Consumer<byte[], byte[]> consumer, ConsumerRecord<byte[], byte[]> manifestRecord) {
        CheckpointManifest manifest;
        try {
            manifest = manifestRecord.value() == null
                    ? null
                    : mapper.readValue(manifestRecord.value(), CheckpointManifest.class);
        } catch (IOException e) {
            LOG.warnf("Immortal %s: skipping the checkpoint manifest at offset %d of %s: it cannot be decoded (%s)", immortal,
                    manifestRecord.offset(), partition, e.getMessage());
            return Optional.empty();
        }
        // a tombstone, JSON null or an object without these fields decodes without error but cannot be followed
        if (manifest == null || manifest.checkpointId() == null || manifest.firstChunkOffset() < 0) {
            LOG.warnf("Immortal %s: skipping the checkpoint manifest at offset %d of %s: it names no checkpoint id or first"
                    + " chunk offset", immortal, manifestRecord.offset(), partition);
            return Optional.empty();
        }
        if (manifest.size() < 0 || manifest.systemSize() < 0 || manifest.size() > Integer.MAX_VALUE - 16
                || manifest.systemSize() > Integer.MAX_VALUE - 16) {
            LOG.warnf("Immortal %s: skipping checkpoint %s: its size %d or system size %d is not one an array can hold",
                    immortal, manifest.checkpointId(), manifest.size(), manifest.systemSize());
            return Optional.empty();
        }
        Assembly state = new Assembly("state", manifest.chunks(), manifest.size());
        Assembly system = new Assembly("system state", manifest.systemChunks(), manifest.systemSize());
        for (ConsumerRecord<byte[], byte[]> record : read(consumer, manifest.firstChunkOffset(), manifestRecord.offset())) {
            if (!KIND_CHUNK.equals(header(record, Envelope.HEADER_KIND))
                    || !manifest.checkpointId().equals(header(record, HEADER_CHECKPOINT_ID))) {
                continue;
            }
            Assembly assembly = PART_SYSTEM.equals(header(record, HEADER_PART)) ? system : state;
            String problem = assembly.add(header(record, HEADER_CHUNK), record.value());
            if (problem != null) {
                LOG.warnf("Immortal %s: skipping checkpoint %s (manifest at offset %d): %s at offset %d", immortal,
                        manifest.checkpointId(), manifestRecord.offset(), problem, record.offset());
                return Optional.empty();
            }
        }
        String problem = state.problem(manifest.sha256());
        if (problem == null && manifest.systemChunks() > 0) {
            problem = system.problem(manifest.systemSha256());
        }
        if (problem != null) {
            LOG.warnf("Immortal %s: skipping checkpoint %s (manifest at offset %d): %s", immortal, manifest.checkpointId(),
                    manifestRecord.offset(), problem);
            return Optional.empty();
        }
        return Optional.of(new Loaded(manifest, manifestRecord.offset(), state.data, system.data));
    }

    /**
     * The chunks of one part of a checkpoint, put back together in order.
     */
    private static final class Assembly {
        private final String name;
        private final int chunks;
        private final byte[] data;
        private int found;
        private int position;

        public Assembly(String name, int chunks, long size) {
            this.name = name;
            this.chunks = chunks;
            this.data = new byte[(int) size];
        }

        public String add(String index, byte[] chunk) {
            if (chunk == null || !Integer.toString(found).equals(index) || position + chunk.length > data.length) {
                return "chunk " + found + " of the " + name + " is out of order or too large";
            }
            System.arraycopy(chunk, 0, data, position, chunk.length);
            position += chunk.length;
            found++;
            return null;
        }

        public String problem(String expectedSha256) {
            if (found != chunks || position != data.length) {
                return found + " of " + chunks + " chunks found (" + position + " of " + data.length + " bytes) of the "
                        + name + "; it was trimmed or torn";
            }
            if (!sha256(data).equals(expectedSha256)) {
                return "the " + name + " does not match the manifest's SHA-256";
            }
            return null;
        }
    }

    /**
     * @return the committed records of the partition in [from, to), in offset order
     */
    private List<ConsumerRecord<byte[], byte[]>> read(Consumer<byte[], byte[]> consumer, long from, long to) {
        List<ConsumerRecord<byte[], byte[]>> result = new ArrayList<>();
        consumer.seek(partition, from);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (consumer.position(partition) < to) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Immortal " + immortal + ": reading offsets " + from + " to " + to + " of "
                        + partition + " took longer than " + READ_TIMEOUT);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL).records(partition)) {
                if (record.offset() < to) {
                    result.add(record);
                }
            }
        }
        return result;
    }

    private static RecordHeaders headers(String kind, String id) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Envelope.HEADER_VERSION, Envelope.VERSION.getBytes(UTF_8));
        headers.add(Envelope.HEADER_KIND, kind.getBytes(UTF_8));
        headers.add(HEADER_CHECKPOINT_ID, id.getBytes(UTF_8));
        return headers;
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), UTF_8);
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A checkpoint read back: its manifest, where the manifest is, and the state bytes.
     */
    public record Loaded(CheckpointManifest manifest, long manifestOffset, byte[] state, byte[] system) {
    }
}
