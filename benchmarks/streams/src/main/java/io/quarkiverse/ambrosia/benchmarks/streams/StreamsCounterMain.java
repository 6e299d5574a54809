package io.quarkiverse.ambrosia.benchmarks.streams;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The exactly-once baseline of the backlog-drain benchmark: the benchmark app's {@code Counter} immortal as a Kafka
 * Streams application. It reads the same impulse records (values as {@code byte[]}, headers ignored) and keeps a count
 * and a byte total under one key of a persistent (RocksDB) key-value store, which Streams backs with a changelog topic
 * {@code <application id>-counter-changelog}, as it does by default.
 * <p>
 * Configuration: {@code processing.guarantee=exactly_once_v2}, so the consumed offsets, the changelog writes and (had
 * it any) output are committed in one Kafka transaction, and the input is read with {@code read_committed}; one stream
 * thread (the input has one partition); everything else left at Streams' defaults. In particular the commit interval
 * is Streams' default under exactly-once, {@code commit.interval.ms=100}: a time-based group commit, the setting a
 * Streams user gets. The Ambrosia dispatcher commits after each poll batch instead (up to 2000 records), and Streams
 * has no record-count trigger, so neither setting can be copied into the other: each side runs with its own default.
 * The record cache ({@code statestore.cache.max.bytes}, 10 MiB) is left on too, so the changelog gets the counter's
 * latest value once per commit rather than once per record, as the Ambrosia immortal's state is only written at
 * checkpoints. Any Streams setting can be overridden with {@code key=value} arguments after the first three, e.g.
 * {@code commit.interval.ms=20}.
 * <p>
 * The local state goes to a new temporary directory, deleted when the application stops, so every run starts with an
 * empty store.
 *
 * <pre>
 * java -jar benchmarks/streams/target/quarkus-ambrosia-benchmarks-streams.jar localhost:9092 bench.input bench-streams
 * </pre>
 *
 * Prints {@value #RUNNING} once Streams has started its thread and joined the group; runs until it is terminated
 * ({@code SIGTERM} closes Streams cleanly) or Streams fails (exit code 1).
 */
public final class StreamsCounterMain {

    /** Printed, followed by the application id, when Streams reaches state RUNNING for the first time. */
    public static final String RUNNING = "streams counter running: application.id=";

    /** The name of the key-value store, and so of its changelog topic {@code <application id>-counter-changelog}. */
    public static final String STORE = "counter";

    /** The one key of the store, as the immortal has one counter. */
    public static final String KEY = "counter";

    private StreamsCounterMain() {
    }

    /**
     * @param args bootstrap servers, input topic, application id (also the consumer group and the prefix of the
     *        internal topics), then optional {@code key=value} Streams settings
     */
    public static void main(String[] args) throws InterruptedException, IOException {
        if (args.length < 3) {
            System.err.println("Usage: StreamsCounterMain <bootstrap servers> <input topic> <application id>"
                    + " [streams-setting=value ...]");
            System.exit(2);
        }
        Path stateDir = Files.createTempDirectory("ambrosia-bench-streams");
        Properties config = config(args[0], args[2], stateDir);
        for (int i = 3; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (equals <= 0) {
                System.err.println("Not a key=value Streams setting: " + args[i]);
                System.exit(2);
            }
            config.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        KafkaStreams streams = new KafkaStreams(topology(args[1]), config);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean announced = new AtomicBoolean();
        streams.setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.RUNNING && announced.compareAndSet(false, true)) {
                System.out.println(RUNNING + args[2]);
                System.out.flush();
            }
            if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            System.err.println("Kafka Streams failed, so the counter stops: " + e);
            e.printStackTrace();
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close();
            // all of the state directory is this run's (KafkaStreams.cleanUp would leave the directory itself)
            deleteRecursively(stateDir);
        }, "streams-counter-shutdown"));
        streams.start();
        stopped.await();
        if (streams.state() == KafkaStreams.State.ERROR) {
            System.exit(1);
        }
    }

    /**
     * @return the Streams configuration described in the class comment, before overrides
     */
    static Properties config(String bootstrapServers, String applicationId, Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        return config;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Cannot delete the Streams state in " + dir + ": " + e);
        }
    }

    /**
     * @return input topic, then the counting processor with its persistent store
     */
    static Topology topology(String inputTopic) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                Serdes.ByteArray()));
        builder.stream(inputTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(CountingProcessor::new, STORE);
        return builder.build();
    }

    /**
     * Decodes the stored value: the count, then the byte total.
     *
     * @param value the 16 bytes under {@link #KEY}, or {@code null} before the first record
     * @return {@code {count, bytes}}
     */
    private static long[] decode(byte[] value) {
        if (value == null) {
            return new long[]{0, 0};
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        return new long[]{buffer.getLong(), buffer.getLong()};
    }

    private static byte[] encode(long count, long bytes) {
        return ByteBuffer.allocate(2 * Long.BYTES).putLong(count).putLong(bytes).array();
    }

    /**
     * Counts the records and their value bytes, like {@code Counter.add} counts calls and payload characters.
     */
    private static final class CountingProcessor implements Processor<byte[], byte[], Void, Void> {

        private KeyValueStore<String, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            long[] counter = decode(store.get(KEY));
            int size = record.value() == null ? 0 : record.value().length;
            store.put(KEY, encode(counter[0] + 1, counter[1] + size));
        }
    }
}
