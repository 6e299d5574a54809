package io.quarkiverse.ambrosia.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.quarkiverse.ambrosia.testing.AppProcess;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;

/**
 * Scenario "backlog drain" of docs/benchmarks.md: how fast a consumer process drains a pre-filled topic with
 * exactly-once commits. The topic (one partition) is filled with {@link Backlog#records()} impulse records to
 * {@code Counter#add} whose payload has {@link Backlog#payloadSize()} characters (docs/wire-format.md); then the
 * consumer process starts, and the rate is measured from its consumer group's committed offset, polled every
 * {@value #POLL_MILLIS} ms.
 * <p>
 * <b>Timing.</b> The clock starts when a committed offset at or past {@link Backlog#warmupRecords()} is first seen and
 * stops when it reaches {@code records}; the result counts the records between those two offsets. Process start is not
 * the origin: the JVM's start, Quarkus' boot, Kafka Streams' RocksDB, internal topics and rebalance differ per system
 * and are no part of how fast it drains, so each side is timed from a commit, the only progress visible from outside,
 * to its last, and the time before is reported apart ({@link Result#warmupNanos()}). Nor is the first commit the
 * origin, though it is the earliest sign of consuming: Kafka Streams commits after its first record (its stream thread
 * processes 1 record per task in its first loop, more later) while the Ambrosia dispatcher commits after its first poll
 * batch of up to 2000, so that origin would give Ambrosia 2000 records of JIT warm-up off the clock and Streams none.
 * Starting at the first commit past the same offset puts the same records behind both, the coldest ones;
 * {@value #WARMUP_RECORDS} by default, one full dispatcher batch. The delay between a commit and its observation (up to
 * a poll interval and an admin round trip) is the same at both ends, so it cancels; it bounds the error of a drain of
 * {@code d} seconds at about {@value #POLL_MILLIS} ms / {@code d}: drain enough records for a few seconds of work.
 * <p>
 * Rates are {@link Result#recordsPerSecond() records/s} and {@link Result#bytesPerSecond() bytes/s} of record values
 * (the JSON arguments {@code ["xx..."]}: {@code payloadSize + 4} bytes each; headers not counted). A comparison runs
 * the baseline first, then the subject, each with topics of its own on the same broker, and reports
 * {@link Comparison#ratio() subject / baseline}.
 *
 * <pre>
 * String id = UUID.randomUUID().toString().substring(0, 8);
 * BacklogDrain.Subject streams = BacklogDrain.Subject.streams(
 *         Path.of("benchmarks/streams/target/quarkus-ambrosia-benchmarks-streams.jar"), "bench-streams-" + id);
 * BacklogDrain.Subject ambrosia = BacklogDrain.Subject.ambrosia(
 *         Path.of("benchmarks/app/target/quarkus-app/quarkus-run.jar"), "bench-drain-" + id + ".");
 * BacklogDrain.Comparison result = BacklogDrain.compare(bootstrapServers, streams, ambrosia,
 *         new BacklogDrain.Backlog(20_000, 100), Duration.ofMinutes(5));
 * System.out.println(result.summary()); // result.ratio(): Ambrosia's records/s over Kafka Streams'
 * </pre>
 */
public final class BacklogDrain {

    /** How often the committed offset is read, in milliseconds. */
    public static final long POLL_MILLIS = 20;

    /** The default warm-up: the Ambrosia dispatcher's largest batch between two commits. */
    public static final int WARMUP_RECORDS = 2000;

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final int TAIL_CHARS = 4000;

    private BacklogDrain() {
    }

    /**
     * A consumer process under test.
     *
     * @param name how results name it
     * @param topic the topic it consumes, which {@link #drain} creates and fills: it must not exist yet
     * @param group the consumer group whose committed offset on partition 0 of {@code topic} is its progress
     * @param process given the bootstrap servers, the process to start, configured but not started
     */
    public record Subject(String name, String topic, String group, Function<String, AppProcess.Builder> process) {

        /**
         * The Kafka Streams counter of {@code benchmarks/streams} ({@code StreamsCounterMain}), reading
         * {@code <applicationId>.input}. Its consumer group is its application id.
         *
         * @param jar {@code benchmarks/streams/target/quarkus-ambrosia-benchmarks-streams.jar}
         * @param applicationId a new application id per run: it names the group and the changelog topic too
         * @return the subject
         */
        public static Subject streams(Path jar, String applicationId) {
            String topic = applicationId + ".input";
            return new Subject("Kafka Streams exactly_once_v2", topic, applicationId,
                    bootstrapServers -> AppProcess.builder(jar).arg(bootstrapServers).arg(topic).arg(applicationId));
        }

        /**
         * The {@code Counter} immortal of the benchmark app ({@code benchmarks/app}), whose log is
         * {@code <topicPrefix>Counter} and whose consumer group has the same name. The app's HTTP server gets a free
         * port.
         *
         * @param appJar {@code benchmarks/app/target/quarkus-app/quarkus-run.jar}
         * @param topicPrefix a new {@code quarkus.ambrosia.topic-prefix} per run
         * @return the subject
         */
        public static Subject ambrosia(Path appJar, String topicPrefix) {
            String topic = topicPrefix + "Counter";
            return new Subject("Ambrosia immortal", topic, topic,
                    bootstrapServers -> AppProcess.builder(appJar)
                            .systemProperty("kafka.bootstrap.servers", bootstrapServers)
                            .systemProperty("quarkus.ambrosia.topic-prefix", topicPrefix)
                            .systemProperty("quarkus.http.port", Integer.toString(AppProcess.freePort())));
        }
    }

    /**
     * The records a drain starts with.
     *
     * @param records how many; enough that the drain spans a few seconds
     * @param payloadSize characters of each record's payload
     * @param warmupRecords how many the clock does not count: it starts at the first commit at or past this offset
     */
    public record Backlog(int records, int payloadSize, int warmupRecords) {

        /**
         * @throws IllegalArgumentException unless {@code 0 <= warmupRecords < records} and {@code payloadSize >= 0}
         */
        public Backlog {
            if (warmupRecords < 0 || warmupRecords >= records || payloadSize < 0) {
                throw new IllegalArgumentException("A backlog needs 0 <= warm-up records < records and a payload size"
                        + " >= 0, so that some records are timed; got " + records + " records, " + warmupRecords
                        + " of warm-up, payload size " + payloadSize);
            }
        }

        /**
         * A backlog with the default warm-up of {@value BacklogDrain#WARMUP_RECORDS} records.
         */
        public Backlog(int records, int payloadSize) {
            this(records, payloadSize, WARMUP_RECORDS);
        }
    }

    /**
     * One drain, timed from the first commit seen at or past the warm-up to the last.
     *
     * @param name the subject's name
     * @param records how many records were drained while the clock ran (those after the commit it started at)
     * @param bytes their value bytes
     * @param nanos how long that took
     * @param warmupNanos from starting the process to starting the clock (not part of the rates)
     */
    public record Result(String name, long records, long bytes, long nanos, long warmupNanos) {

        /**
         * @return records drained per second
         */
        public double recordsPerSecond() {
            return records * 1e9 / nanos;
        }

        /**
         * @return value bytes drained per second
         */
        public double bytesPerSecond() {
            return bytes * 1e9 / nanos;
        }

        @Override
        public String toString() {
            return String.format("%s: %.0f records/s, %.2f MB/s (%d records in %d ms, timed from %d ms after the"
                    + " process started)", name, recordsPerSecond(), bytesPerSecond() / 1e6, records,
                    TimeUnit.NANOSECONDS.toMillis(nanos), TimeUnit.NANOSECONDS.toMillis(warmupNanos));
        }
    }

    /**
     * A baseline and a subject drained the same backlog.
     *
     * @param baseline the system the ratio divides by
     * @param subject the system measured against it
     */
    public record Comparison(Result baseline, Result subject) {

        /**
         * @return the subject's records per second over the baseline's (the same as the bytes ratio: both drained
         *         records of the same size)
         */
        public double ratio() {
            return subject.recordsPerSecond() / baseline.recordsPerSecond();
        }

        /**
         * @return both results and the ratio, one per line
         */
        public String summary() {
            return String.format("%s%n%s%nratio %s / %s: %.3f", baseline, subject, subject.name(), baseline.name(),
                    ratio());
        }
    }

    /**
     * Drains the backlog with the baseline, then with the subject, on the same broker.
     *
     * @param bootstrapServers the broker
     * @param baseline run first; its topic must not exist
     * @param subject run second; its topic must not exist
     * @param backlog what each drains
     * @param timeout how long each drain, from the process start, may take at most
     * @return both results
     */
    public static Comparison compare(String bootstrapServers, Subject baseline, Subject subject, Backlog backlog,
            Duration timeout) {
        Result first = drain(bootstrapServers, baseline, backlog, timeout);
        return new Comparison(first, drain(bootstrapServers, subject, backlog, timeout));
    }

    /**
     * Fills the subject's topic with {@code records} records, starts its process, and times its drain (see the class
     * comment). The process is stopped before this returns.
     *
     * @param bootstrapServers the broker
     * @param subject what drains; its topic must not exist yet
     * @param backlog what it drains
     * @param timeout how long the drain, from the process start, may take at most
     * @return the rates
     * @throws IllegalStateException if the process exits or the timeout passes before it committed every record, or
     *         if it committed them all before a commit after the warm-up was seen (too few records to time)
     */
    public static Result drain(String bootstrapServers, Subject subject, Backlog backlog, Duration timeout) {
        int records = backlog.records();
        prefill(bootstrapServers, subject.topic(), records, backlog.payloadSize());
        long valueSize = value(backlog.payloadSize()).length;
        TopicPartition partition = new TopicPartition(subject.topic(), 0);
        try (Admin admin = admin(bootstrapServers);
                AppProcess process = subject.process().apply(bootstrapServers).build()) {
            long started = System.nanoTime();
            long deadline = started + timeout.toNanos();
            process.start();
            long clockStartedAt = -1;
            long clockStartOffset = 0;
            for (long tick = started;; tick += TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)) {
                // the committed offset changes with no event to wait on: a benchmark may poll
                LockSupport.parkNanos(tick - System.nanoTime());
                boolean alive = process.isAlive();
                long committed = committed(admin, subject.group(), partition);
                long now = System.nanoTime();
                if (clockStartedAt < 0 && committed > 0 && committed >= backlog.warmupRecords()) {
                    clockStartedAt = now;
                    clockStartOffset = committed;
                }
                if (committed >= records) {
                    if (clockStartOffset >= records) {
                        throw new IllegalStateException(subject.name() + " committed all " + records + " records"
                                + " before a commit between the warm-up (" + backlog.warmupRecords() + ") and the end"
                                + " was seen: the drain is too short to time, drain more records");
                    }
                    long drained = records - clockStartOffset;
                    return new Result(subject.name(), drained, drained * valueSize, now - clockStartedAt,
                            clockStartedAt - started);
                }
                if (!alive) {
                    throw new IllegalStateException(subject.name() + " exited with code " + process.exitCode()
                            + " after committing " + committed + " of " + records + " records of " + subject.topic()
                            + ". Output:\n" + tail(process.output()));
                }
                if (now > deadline) {
                    throw new IllegalStateException(subject.name() + " committed only " + committed + " of " + records
                            + " records of " + subject.topic() + " within " + timeout + ". Output:\n"
                            + tail(process.output()));
                }
            }
        }
    }

    /**
     * Creates {@code topic} with one partition and appends {@code records} impulse records to {@code Counter#add}
     * (docs/wire-format.md) with a payload of {@code payloadSize} characters, from one idempotent producer with
     * {@code acks=all}; returns once all are acknowledged.
     *
     * @throws IllegalStateException if the topic exists (its records would be counted too) or a write fails
     */
    public static void prefill(String bootstrapServers, String topic, int records, int payloadSize) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = admin(bootstrapServers)) {
            try {
                await(admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all(),
                        "create the topic " + topic + " to fill");
            } catch (IllegalStateException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    throw new IllegalStateException("Topic " + topic + " exists already: a backlog drain needs a new"
                            + " topic, or the records already there would be drained and timed too", e.getCause());
                }
                throw e;
            }
            EmbeddedKafkaBroker.awaitPartitionLeaders(admin, List.of(topic), ADMIN_TIMEOUT);
            byte[] value = value(payloadSize);
            long loggedAt = System.currentTimeMillis();
            AtomicReference<Exception> failure = new AtomicReference<>();
            AtomicLong acknowledged = new AtomicLong();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
                for (int i = 0; i < records && failure.get() == null; i++) {
                    producer.send(
                            new ProducerRecord<>(topic, 0, (byte[]) null, value, impulseHeaders(topic + ":" + i, loggedAt)),
                            (metadata, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                } else {
                                    acknowledged.incrementAndGet();
                                }
                            });
                }
                producer.flush();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("Filling " + topic + " failed after " + acknowledged.get() + " of "
                        + records + " records were acknowledged", failure.get());
            }
            long end = await(admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition),
                    "read the end offset of " + topic).offset();
            if (end != records) {
                throw new IllegalStateException("Filling " + topic + " with " + records + " records left its end at"
                        + " offset " + end + ": something else writes to it");
            }
        }
    }

    /**
     * Runs {@link #compare} once, Kafka Streams as the baseline and the Ambrosia immortal as the subject, with new
     * topics, and prints both rates and the ratio.
     *
     * @param args bootstrap servers, the benchmark app's {@code quarkus-run.jar}, the Streams counter's jar, then
     *        optionally the record count (20000), the payload size (100) and the warm-up records
     *        ({@value #WARMUP_RECORDS})
     */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("Usage: BacklogDrain <bootstrap servers> <benchmark app quarkus-run.jar>"
                    + " <quarkus-ambrosia-benchmarks-streams.jar> [records=20000] [payload size=100] [warm-up records="
                    + WARMUP_RECORDS + "]");
            System.exit(2);
        }
        Backlog backlog = new Backlog(args.length > 3 ? Integer.parseInt(args[3]) : 20_000,
                args.length > 4 ? Integer.parseInt(args[4]) : 100,
                args.length > 5 ? Integer.parseInt(args[5]) : WARMUP_RECORDS);
        String id = UUID.randomUUID().toString().substring(0, 8);
        Subject streams = Subject.streams(Path.of(args[2]), "bench-streams-" + id);
        Subject ambrosia = Subject.ambrosia(Path.of(args[1]), "bench-drain-" + id + ".");
        System.out.printf("Backlog drain of %d records with %d-character payloads, the first %d untimed, exactly-once"
                + " commits:%n", backlog.records(), backlog.payloadSize(), backlog.warmupRecords());
        System.out.println(compare(args[0], streams, ambrosia, backlog, Duration.ofMinutes(10)).summary());
    }

    /**
     * @return the headers of an impulse record to {@code Counter#add}
     */
    static RecordHeaders impulseHeaders(String callId, long loggedAt) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ambrosia-version", "2".getBytes(UTF_8));
        headers.add("kind", "impulse".getBytes(UTF_8));
        headers.add("target", "Counter#add".getBytes(UTF_8));
        headers.add("call-id", callId.getBytes(UTF_8));
        headers.add("logged-at", Long.toString(loggedAt).getBytes(UTF_8));
        return headers;
    }

    /**
     * @return the arguments of {@code Counter.add(payload)} as a JSON array, with a payload of {@code payloadSize}
     *         characters
     */
    static byte[] value(int payloadSize) {
        return ("[\"" + "x".repeat(payloadSize) + "\"]").getBytes(UTF_8);
    }

    private static long committed(Admin admin, String group, TopicPartition partition) {
        Map<TopicPartition, OffsetAndMetadata> offsets = await(
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
                "read the committed offsets of group " + group);
        OffsetAndMetadata offset = offsets.get(partition);
        return offset == null ? 0 : offset.offset();
    }

    /**
     * @param what what the request does, for the message of a failure
     * @return the admin request's result
     * @throws IllegalStateException if it fails (its cause is the request's), is interrupted or times out
     */
    private static <T> T await(KafkaFuture<T> request, String what) {
        try {
            return request.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Cannot " + what + " within " + ADMIN_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + what, e);
        }
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private static String tail(String output) {
        return output.length() <= TAIL_CHARS ? output : "..." + output.substring(output.length() - TAIL_CHARS);
    }
}
