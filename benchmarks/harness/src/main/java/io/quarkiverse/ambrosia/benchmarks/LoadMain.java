package io.quarkiverse.ambrosia.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A load generator, run as a process of its own (never inside a system under test). Prints one line
 * {@code RESULT <json>} with what it measured.
 *
 * <pre>
 * pipeline    &lt;bootstrap&gt; &lt;topic&gt; &lt;size&gt; &lt;count&gt; &lt;transaction-batch, 0 for none&gt;
 * http-closed &lt;url&gt; &lt;size&gt; &lt;concurrency&gt; &lt;warm-up s&gt; &lt;duration s&gt; [text|json] [keys]
 * http-open   &lt;url&gt; &lt;size&gt; &lt;rate/s&gt; &lt;warm-up s&gt; &lt;duration s&gt; [text|json] [keys]
 * </pre>
 *
 * The HTTP modes POST {@code size} characters, as {@code text/plain} by default ({@link Body}). A URL holding
 * {@code {key}} is a keyed workload: each request replaces it with a key drawn at random from {@code keys}, a count
 * ({@code 1024}: {@code k-0} to {@code k-1023}) or a comma-separated list ({@link Keys}).
 */
public final class LoadMain {

    static final String RESULT = "RESULT ";
    /** How long a request may take before it counts as an error. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> result = switch (args[0]) {
            case "pipeline" -> pipeline(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "http-closed" -> httpClosed(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Body.of(args, 6), Keys.of(args, 7));
            case "http-open" -> httpOpen(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Body.of(args, 6), TIMEOUT, Keys.of(args, 7));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        };
        System.out.println(RESULT + JSON.writeValueAsString(result));
        System.exit(0);
    }

    /**
     * The log's limit: {@code count} records of {@code size} bytes through one producer (acks=all, idempotent; with a
     * transaction per {@code batch} records if above 0) and one consumer ({@code read_committed} for transactions),
     * timed from the first send to the last record consumed. A first pass of a tenth as many records warms both up.
     */
    static Map<String, Object> pipeline(String bootstrap, String topic, int size, int count, int batch) throws Exception {
        Map<String, Object> common = Map.of("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(common)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()),
                    new NewTopic(topic + ".warm-up", Optional.of(1), Optional.empty()))).all().get();
        }
        Map<String, Object> producerConfig = new HashMap<>(common);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        if (batch > 0) {
            producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-tx");
        }
        byte[] value = new byte[size];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            if (batch > 0) {
                producer.initTransactions();
            }
            runPipeline(producer, common, topic + ".warm-up", value, Math.max(100, count / 10), batch);
            long nanos = runPipeline(producer, common, topic, value, count, batch);
            double seconds = nanos / 1e9;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("records/s", count / seconds);
            result.put("MB/s", (double) count * size / seconds / 1e6);
            return result;
        }
    }

    private static long runPipeline(KafkaProducer<byte[], byte[]> producer, Map<String, Object> common, String topic,
            byte[] value, int count, int batch) throws Exception {
        Map<String, Object> consumerConfig = new HashMap<>(common);
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, batch > 0 ? "read_committed" : "read_uncommitted");
        consumerConfig.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        TopicPartition partition = new TopicPartition(topic, 0);
        AtomicLong consumedAt = new AtomicLong();
        Thread consumerThread;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consumer.position(partition);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            consumerThread = new Thread(() -> {
                long seen = 0;
                while (seen < count && System.nanoTime() < deadline) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                    seen += records.count();
                }
                if (seen >= count) {
                    consumedAt.set(System.nanoTime());
                }
            }, "pipeline-consumer");
            consumerThread.setDaemon(true);
            long start = System.nanoTime();
            consumerThread.start();
            for (int i = 0; i < count; i++) {
                if (batch > 0 && i % batch == 0) {
                    producer.beginTransaction();
                }
                producer.send(new ProducerRecord<>(topic, 0, null, value));
                if (batch > 0 && (i % batch == batch - 1 || i == count - 1)) {
                    producer.commitTransaction();
                }
            }
            producer.flush();
            consumerThread.join();
            if (consumedAt.get() == 0) {
                throw new IllegalStateException("the consumer did not see " + count + " records of " + topic
                        + " within 10 minutes");
            }
            return consumedAt.get() - start;
        }
    }

    /**
     * How an HTTP request carries its payload of {@code size} characters.
     */
    enum Body {
        /** {@code text/plain}: the characters as they are (the immortal's REST impulse endpoint). */
        TEXT,
        /** {@code application/json}: the characters as one JSON string (a Restate handler taking a {@code String}). */
        JSON;

        /**
         * @return the body named by {@code args[index]} ({@code text} or {@code json}), {@link #TEXT} if there is none
         */
        static Body of(String[] args, int index) {
            return args.length > index ? valueOf(args[index].toUpperCase(Locale.ROOT)) : TEXT;
        }

        HttpRequest request(String url, int size) {
            return request(url, size, TIMEOUT);
        }

        HttpRequest request(String url, int size, Duration timeout) {
            String payload = "x".repeat(size);
            return HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Content-Type", this == JSON ? "application/json" : "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(this == JSON ? '"' + payload + '"' : payload)).build();
        }
    }

    /**
     * The keys of a keyed workload: a request's URL has {@code {key}} replaced by one drawn at random.
     */
    record Keys(List<String> keys) {
        static final Keys NONE = new Keys(List.of());

        /**
         * @return the keys named by {@code args[index]}: a count {@code n} ({@code k-0} to {@code k-(n-1)}) or a
         *         comma-separated list; none if there is no such argument
         */
        static Keys of(String[] args, int index) {
            if (args.length <= index) {
                return NONE;
            }
            String spec = args[index];
            if (spec.chars().allMatch(Character::isDigit)) {
                List<String> keys = new ArrayList<>();
                for (int k = 0; k < Integer.parseInt(spec); k++) {
                    keys.add("k-" + k);
                }
                return new Keys(keys);
            }
            return new Keys(List.of(spec.split(",")));
        }

        String url(String template) {
            return keys.isEmpty()
                    ? template
                    : template.replace("{key}", keys.get(java.util.concurrent.ThreadLocalRandom.current()
                            .nextInt(keys.size())));
        }
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    static Map<String, Object> httpClosed(String url, int size, int concurrency, int warmupSeconds, int seconds)
            throws Exception {
        return httpClosed(url, size, concurrency, warmupSeconds, seconds, Body.TEXT);
    }

    /**
     * Closed loop: {@code concurrency} clients, each sending its next request when the last is answered. Counts the
     * answers (2xx) within the measured window, after a warm-up.
     */
    static Map<String, Object> httpClosed(String url, int size, int concurrency, int warmupSeconds, int seconds,
            Body body) throws Exception {
        return httpClosed(url, size, concurrency, warmupSeconds, seconds, body, Keys.NONE);
    }

    static Map<String, Object> httpClosed(String url, int size, int concurrency, int warmupSeconds, int seconds,
            Body body, Keys keys) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();
        AtomicLong answered = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long until = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            Thread client = new Thread(() -> {
                while (true) {
                    long now = System.nanoTime();
                    if (now >= until) {
                        return;
                    }
                    boolean ok;
                    try {
                        ok = http.send(body.request(keys.url(url), size), HttpResponse.BodyHandlers.discarding())
                                .statusCode() / 100 == 2;
                    } catch (Exception e) {
                        ok = false;
                    }
                    long done = System.nanoTime();
                    if (done >= measureFrom && done < until) {
                        (ok ? answered : errors).incrementAndGet();
                    }
                }
            }, "closed-loop-" + c);
            client.start();
            clients.add(client);
        }
        for (Thread client : clients) {
            client.join();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("requests/s", answered.get() / (double) seconds);
        result.put("errors", errors.get());
        return result;
    }

    static Map<String, Object> httpOpen(String url, int size, int rate, int warmupSeconds, int seconds)
            throws Exception {
        return httpOpen(url, size, rate, warmupSeconds, seconds, Body.TEXT);
    }

    /**
     * Open loop: requests sent at a fixed rate whatever the answers, each latency measured from the moment the request
     * was due to be sent, not from when it was (free of coordinated omission). At most 20,000 requests wait at once;
     * beyond that the run counts as overloaded.
     */
    static Map<String, Object> httpOpen(String url, int size, int rate, int warmupSeconds, int seconds, Body body)
            throws Exception {
        return httpOpen(url, size, rate, warmupSeconds, seconds, body, TIMEOUT);
    }

    /**
     * A request that times out counts as an error, and its latency as at least the timeout: an overloaded system's
     * percentiles then say so, rather than describe the few requests it still answered.
     */
    static Map<String, Object> httpOpen(String url, int size, int rate, int warmupSeconds, int seconds, Body body,
            Duration timeout) throws Exception {
        return httpOpen(url, size, rate, warmupSeconds, seconds, body, timeout, Keys.NONE);
    }

    static Map<String, Object> httpOpen(String url, int size, int rate, int warmupSeconds, int seconds, Body body,
            Duration timeout, Keys keys) throws Exception {
        ExecutorService callbacks = Executors.newFixedThreadPool(2);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(callbacks).build();
        HttpRequest fixed = keys.keys().isEmpty() ? body.request(url, size, timeout) : null;
        AtomicLong timedOut = new AtomicLong();
        Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        Semaphore outstanding = new Semaphore(20_000);
        AtomicLong errors = new AtomicLong();
        AtomicLong overloaded = new AtomicLong();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long total = (long) rate * (warmupSeconds + seconds);
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!outstanding.tryAcquire()) {
                overloaded.incrementAndGet();
                continue;
            }
            boolean measured = due >= measureFrom;
            HttpRequest request = fixed != null ? fixed : body.request(keys.url(url), size, timeout);
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                long latency = System.nanoTime() - due;
                if (failure != null || response.statusCode() / 100 != 2) {
                    errors.incrementAndGet();
                    if (failure != null && isTimeout(failure)) {
                        timedOut.incrementAndGet();
                        if (measured) {
                            recorder.recordValue(Math.min(latency, TimeUnit.SECONDS.toNanos(60)));
                        }
                    }
                } else if (measured) {
                    recorder.recordValue(Math.min(latency, TimeUnit.SECONDS.toNanos(60)));
                }
                // last: the run ends when every permit is back, and reads what this request counted
                outstanding.release();
            });
        }
        outstanding.acquire(20_000);
        Histogram histogram = recorder.getIntervalHistogram();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("p50 ms", histogram.getValueAtPercentile(50) / 1e6);
        result.put("p99 ms", histogram.getValueAtPercentile(99) / 1e6);
        result.put("p99.9 ms", histogram.getValueAtPercentile(99.9) / 1e6);
        result.put("max ms", histogram.getMaxValue() / 1e6);
        result.put("answered/s", (histogram.getTotalCount() - timedOut.get()) / (double) seconds);
        result.put("errors", errors.get());
        result.put("timed out", timedOut.get());
        result.put("overloaded", overloaded.get());
        callbacks.shutdown();
        return result;
    }
}
