package io.quarkiverse.ambrosia.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.testing.AppProcess;

/**
 * Runs the benchmark suite of docs/benchmarks.md: a broker process, the systems under test as processes of their
 * own, load generators as further processes. Writes the results table and charts.
 *
 * <pre>
 * benchmarks/run [--quick] [--only 1,2,3,5,6] [--out docs]
 * </pre>
 */
public final class Bench {

    static final String LOG_LIMIT = "1. The log's limit";
    static final String THROUGHPUT = "2. Immortal throughput";
    static final String LATENCY = "3. REST impulse latency";
    static final String STREAMS = "4. Kafka Streams exactly_once_v2";
    static final String RESTATE = "5. Restate";
    static final String RECOVERY = "6. Recovery";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY = Duration.ofSeconds(120);
    /** Records per transaction of the log's limit: the dispatcher's default {@code max-batch}. */
    static final int TRANSACTION_BATCH = 10_000;
    /** Calls the programmatic driver keeps in flight from its event loop. */
    static final int PIPELINE_WINDOW = 4096;
    /** Threads of the programmatic driver's other variant, each waiting for its own call. */
    static final int WAITING_CALLERS = 128;

    private final boolean quick;
    private final Path appJar;
    private final Path streamsJar;
    private final Path work;
    private final Results results = new Results();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String bootstrap;
    private long brokerPid;
    private Path restateServer;
    private Path restateJar;

    Bench(boolean quick, Path appJar, Path streamsJar, Path work) {
        this.quick = quick;
        this.appJar = appJar;
        this.streamsJar = streamsJar;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = null;
        Path appJar = Path.of("benchmarks", "app", "target", "quarkus-app", "quarkus-run.jar");
        Path keyedJar = Path.of("benchmarks", "keyed", "target", "quarkus-app", "quarkus-run.jar");
        Path streamsJar = Path.of("benchmarks", "streams", "target", "quarkus-ambrosia-benchmarks-streams.jar");
        Path restateJar = Path.of("benchmarks", "restate", "target", "quarkus-ambrosia-benchmarks-restate.jar");
        Path restateServer = Restate.serverBinary(Path.of("benchmarks", "target", "restate", "node_modules"));
        Set<String> only = new LinkedHashSet<>(List.of("1", "2", "3", "4", "5", "6", "7"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--app" -> appJar = Path.of(args[++i]);
                case "--keyed" -> keyedJar = Path.of(args[++i]);
                case "--streams" -> streamsJar = Path.of(args[++i]);
                case "--restate" -> restateJar = Path.of(args[++i]);
                case "--restate-server" -> restateServer = Path.of(args[++i]);
                case "--only" -> only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --quick, --only 1,2,3,5,6,7, --out <dir>, --app <jar>, --keyed <jar>, --streams <jar>,"
                        + " --restate <jar>,"
                        + " --restate-server <executable>)");
            }
        }
        if (out == null) {
            // a quick run is a smoke test: it does not replace the published figures unless asked to
            out = quick ? Path.of("benchmarks", "target", "quick") : Path.of("docs");
        }
        Path work = Files.createDirectories(Path.of("benchmarks", "target", "run-" + System.currentTimeMillis()));
        Bench bench = new Bench(quick, appJar, streamsJar, work);
        bench.restateJar = restateJar;
        bench.restateServer = restateServer;
        Instant started = Instant.now();
        try (JavaProcess.Broker broker = new JavaProcess.Broker(work.resolve("broker.log"))) {
            bench.bootstrap = broker.bootstrapServers;
            bench.brokerPid = broker.process.pid();
            log("broker at " + bench.bootstrap + ", work directory " + work);
            if (only.contains("1")) {
                bench.logLimit();
            }
            if (only.contains("2")) {
                bench.throughput();
            }
            if (only.contains("3")) {
                bench.latency();
            }
            if (only.contains("4")) {
                bench.streams();
            }
            if (only.contains("5")) {
                bench.restate();
            }
            if (only.contains("6")) {
                bench.recovery();
            }
            if (only.contains("7")) {
                new KeyedBench(quick, keyedJar, work, bench.bootstrap, bench.results, restateServer, restateJar).run();
            }
        }
        Duration took = Duration.between(started, Instant.now());
        Report.write(bench.results, out, quick, took, String.join(" ", args));
        log("done in " + took.toSeconds() + " s; results in " + out.resolve(Report.RESULTS));
    }

    private List<Integer> logSizes() {
        if (quick) {
            return List.of(16384, 100);
        }
        List<Integer> sizes = new ArrayList<>();
        for (int size = 65536; size >= 16; size /= 2) {
            sizes.add(size);
            if (size == 128) {
                sizes.add(100);
            }
        }
        return sizes;
    }

    private List<Integer> immortalSizes() {
        return quick ? List.of(100) : List.of(65536, 16384, 4096, 1024, 256, 100, 16);
    }

    private int repetitions() {
        return quick ? 1 : 3;
    }

    /**
     * Scenario 1: a raw producer and consumer with the durability of the log, idempotent and transactional.
     */
    void logLimit() throws Exception {
        for (int size : logSizes()) {
            int count = clamp(32 * 1024 * 1024 / size, 500, quick ? 20_000 : 100_000);
            for (String variant : List.of("idempotent", "transactional")) {
                List<Double> rates = new ArrayList<>();
                for (int r = 0; r < repetitions(); r++) {
                    Map<String, Double> result = JavaProcess.load(work.resolve("load.log"), "pipeline", bootstrap,
                            "bench.pipeline." + UUID.randomUUID(), Integer.toString(size), Integer.toString(count),
                            variant.equals("transactional") ? Integer.toString(TRANSACTION_BATCH) : "0");
                    rates.add(result.get("records/s"));
                }
                String name = variant + ", " + size + " B";
                results.add(new Measurement(LOG_LIMIT, name, "records/s", rates,
                        variant.equals("idempotent") ? null : Measurement.key(LOG_LIMIT, "idempotent, " + size + " B"),
                        true));
                log(LOG_LIMIT + " / " + name + ": " + Stats.of(rates));
            }
        }
    }

    /**
     * Scenario 2: impulses into an immortal, programmatic and over REST, and forks between two immortals, each
     * compared with the log's transactional limit at the same size.
     */
    void throughput() throws Exception {
        try (Sut sut = app("throughput", Map.of())) {
            String base = sut.base();
            for (int size : immortalSizes()) {
                String logLimit = Measurement.key(LOG_LIMIT, "transactional, " + size + " B");
                int count = clamp(8 * 1024 * 1024 / size, 1000, quick ? 5000 : 20_000);
                warmUp(base + "/bench/pipeline?count=" + Math.min(count, 5000) + "&size=" + size + "&concurrency="
                        + PIPELINE_WINDOW);
                warmUp(base + "/bench/forks?count=" + Math.min(count, 5000) + "&size=" + size
                        + "&perImpulse=100&concurrency=8");
                List<Double> programmatic = new ArrayList<>();
                List<Double> rest = new ArrayList<>();
                List<Double> forks = new ArrayList<>();
                List<Double> plainRest = new ArrayList<>();
                List<Double> waiting = new ArrayList<>();
                if (size == 100) {
                    warmUp(base + "/bench/pipeline-blocking?count=5000&size=100&concurrency=" + WAITING_CALLERS);
                }
                for (int r = 0; r < repetitions(); r++) {
                    programmatic.add(rate(post(base + "/bench/pipeline?count=" + count + "&size=" + size
                            + "&concurrency=" + PIPELINE_WINDOW)));
                    rest.add(JavaProcess.load(work.resolve("load.log"), "http-closed", base + "/immortal/add",
                            Integer.toString(size), "64", "2", quick ? "3" : "5").get("requests/s"));
                    forks.add(rate(post(base + "/bench/forks?count=" + count + "&size=" + size
                            + "&perImpulse=100&concurrency=8")));
                    if (size == 100) {
                        // the HTTP path alone, from the same load generator: what REST impulses can reach at most
                        plainRest.add(JavaProcess.load(work.resolve("load.log"), "http-closed", base + "/plain/add",
                                Integer.toString(size), "64", "2", quick ? "3" : "5").get("requests/s"));
                        // the same calls from threads that each wait for theirs: what a blocking caller gets
                        waiting.add(rate(post(base + "/bench/pipeline-blocking?count=" + count + "&size=100&concurrency="
                                + WAITING_CALLERS)));
                    }
                }
                results.add(new Measurement(THROUGHPUT, "programmatic impulses, " + size + " B", "records/s",
                        programmatic, logLimit, true));
                results.add(new Measurement(THROUGHPUT, "REST impulses, " + size + " B", "records/s", rest, logLimit,
                        true));
                results.add(new Measurement(THROUGHPUT, "forks between two immortals, " + size + " B", "records/s",
                        forks, logLimit, true));
                if (size == 100) {
                    results.add(new Measurement(THROUGHPUT, "plain REST endpoint (in-memory counter), 100 B",
                            "requests/s", plainRest, null, true));
                    results.add(new Measurement(THROUGHPUT, "REST impulses against plain REST, 100 B", "requests/s",
                            rest, Measurement.key(THROUGHPUT, "plain REST endpoint (in-memory counter), 100 B"), true));
                    results.add(new Measurement(THROUGHPUT, "programmatic impulses from " + WAITING_CALLERS
                            + " waiting threads, 100 B", "records/s", waiting, logLimit, true));
                    cpuPerRecord(sut, count);
                }
                log(THROUGHPUT + " " + size + " B: programmatic " + Stats.of(programmatic) + ", REST " + Stats.of(rest)
                        + ", forks " + Stats.of(forks));
            }
        }
    }

    /**
     * Where the time goes, coarsely: CPU time of the application and of the broker per programmatic impulse (Linux
     * /proc accounting), and the same throughput with a commit after every poll (the dispatcher before
     * {@code commit-interval}) in another process, for a before/after of that change.
     */
    private void cpuPerRecord(Sut sut, int count) throws Exception {
        List<Double> app = new ArrayList<>();
        List<Double> broker = new ArrayList<>();
        for (int r = 0; r < repetitions(); r++) {
            long appBefore = cpuMillis(sut.app().pid());
            long brokerBefore = cpuMillis(brokerPid);
            post(sut.base() + "/bench/pipeline?count=" + count + "&size=100&concurrency=" + PIPELINE_WINDOW);
            app.add((cpuMillis(sut.app().pid()) - appBefore) * 1000.0 / count);
            broker.add((cpuMillis(brokerPid) - brokerBefore) * 1000.0 / count);
        }
        results.add(new Measurement(THROUGHPUT, "CPU per programmatic impulse, application, 100 B", "µs", app, null,
                false));
        results.add(new Measurement(THROUGHPUT, "CPU per programmatic impulse, broker, 100 B", "µs", broker, null,
                false));
        List<Double> perPoll = new ArrayList<>();
        try (Sut before = app("commit-per-poll", Map.of("quarkus.ambrosia.dispatcher.commit-interval", "0"))) {
            warmUp(before.base() + "/bench/pipeline?count=5000&size=100&concurrency=" + PIPELINE_WINDOW);
            for (int r = 0; r < repetitions(); r++) {
                perPoll.add(rate(
                        post(before.base() + "/bench/pipeline?count=" + count + "&size=100&concurrency=" + PIPELINE_WINDOW)));
            }
        }
        results.add(new Measurement(THROUGHPUT, "programmatic impulses, commit after every poll, 100 B", "records/s",
                perPoll, null, true));
        log(THROUGHPUT + ": CPU per impulse: application " + Stats.of(app) + " µs, broker " + Stats.of(broker)
                + " µs; commit after every poll " + Stats.of(perPoll));
    }

    /**
     * @return the CPU time (user and system) a process has used, from /proc (Linux)
     */
    static long cpuMillis(long pid) throws IOException {
        String[] fields = Files.readString(Path.of("/proc", Long.toString(pid), "stat")).replaceAll("^.*\\) ", "")
                .split(" ");
        // after the command: state is field 3, utime 14 and stime 15 of stat, in clock ticks (100 per second)
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    /**
     * Scenario 3: open-loop latency of a 100-byte REST impulse at fixed rates, against the same endpoint without
     * resiliency and against one that only produces to Kafka. Each system under test is a process of its own.
     */
    void latency() throws Exception {
        List<Integer> rates = latencyRates();
        Map<String, String> endpoints = new java.util.LinkedHashMap<>();
        endpoints.put("plain REST (in-memory counter)", "/plain/add");
        endpoints.put("produce to Kafka only", "/produce/add");
        endpoints.put("REST impulse", "/immortal/add");
        endpoints.put("REST impulse, commit after every poll", "/immortal/add?per-poll");
        for (var endpoint : endpoints.entrySet()) {
            boolean perPoll = endpoint.getValue().endsWith("?per-poll");
            try (Sut sut = app("latency", perPoll
                    ? Map.of("quarkus.ambrosia.dispatcher.commit-interval", "0")
                    : Map.of())) {
                String url = sut.base() + endpoint.getValue().replace("?per-poll", "");
                // the old commit-per-poll dispatcher, for a before/after, at the middle rate only
                for (int rate : perPoll ? List.of(rates.get(rates.size() / 2)) : rates) {
                    Map<String, List<Double>> byMetric = openLoop(endpoint.getKey(), url, rate, "text");
                    String variant = endpoint.getKey() + ", " + rate + "/s";
                    for (var metric : byMetric.entrySet()) {
                        boolean baseline = endpoint.getValue().equals("/plain/add");
                        results.add(new Measurement(LATENCY, variant, metric.getKey(), metric.getValue(),
                                baseline
                                        ? null
                                        : Measurement.key(LATENCY, "plain REST (in-memory counter), " + rate + "/s"),
                                false));
                    }
                    log(LATENCY + " / " + variant + ": p50 " + Stats.of(byMetric.get("p50 ms")) + " p99 "
                            + Stats.of(byMetric.get("p99 ms")));
                }
            }
        }
    }

    private List<Integer> latencyRates() {
        return quick ? List.of(200) : List.of(100, 500, 1000);
    }

    /**
     * Runs the open-loop load of scenario 3 (100-byte payloads, 3 s of warm-up) once per repetition.
     *
     * @param body {@code text} or {@code json}, how the payload is sent ({@link LoadMain.Body})
     * @return p50, p99 and p99.9 in ms, one value per repetition each
     */
    private Map<String, List<Double>> openLoop(String label, String url, int rate, String body) throws Exception {
        Map<String, List<Double>> byMetric = new java.util.LinkedHashMap<>();
        for (int r = 0; r < repetitions(); r++) {
            Map<String, Double> result = JavaProcess.load(work.resolve("load.log"), "http-open", url, "100",
                    Integer.toString(rate), quick ? "2" : "3", quick ? "3" : "10", body);
            for (String metric : List.of("p50 ms", "p99 ms", "p99.9 ms")) {
                byMetric.computeIfAbsent(metric, m -> new ArrayList<>()).add(result.get(metric));
            }
            if (result.get("errors") > 0 || result.get("overloaded") > 0) {
                log("  " + label + " at " + rate + "/s: " + result.get("errors") + " errors ("
                        + result.get("timed out") + " timed out), " + result.get("overloaded")
                        + " not sent (overloaded)");
            }
            if (result.get("timed out") > 0 || result.get("overloaded") > 0) {
                // past its capacity: one run says so, and more would only wait for timeouts
                break;
            }
        }
        return byMetric;
    }

    /**
     * Scenario 4: the same counter over the same pre-filled topic of impulse records, drained by a Kafka Streams
     * application with exactly_once_v2 and by the immortal's dispatcher (see {@link BacklogDrain} for the timing).
     */
    void streams() throws Exception {
        BacklogDrain.Backlog backlog = new BacklogDrain.Backlog(quick ? 50_000 : 200_000, 100);
        List<Double> streams = new ArrayList<>();
        List<Double> immortal = new ArrayList<>();
        for (int r = 0; r < repetitions(); r++) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            BacklogDrain.Comparison comparison = BacklogDrain.compare(bootstrap,
                    BacklogDrain.Subject.streams(streamsJar, "bench-streams-" + id),
                    BacklogDrain.Subject.ambrosia(appJar, "bench-drain-" + id + "."), backlog, Duration.ofMinutes(10));
            streams.add(comparison.baseline().recordsPerSecond());
            immortal.add(comparison.subject().recordsPerSecond());
        }
        String size = backlog.records() + " records of 100 B";
        results.add(new Measurement(STREAMS, "Kafka Streams counter, " + size, "records/s", streams, null, true));
        results.add(new Measurement(STREAMS, "immortal counter, " + size, "records/s", immortal,
                Measurement.key(STREAMS, "Kafka Streams counter, " + size), true));
        log(STREAMS + ": Streams " + Stats.of(streams) + ", immortal " + Stats.of(immortal));
    }

    /**
     * Scenario 5: the immortal counter's REST impulse and the same counter as a Restate virtual object behind
     * Restate's ingress, under the same loads: scenario 2's closed loop (64 clients, 100 B) and scenario 3's open-loop
     * rates. Each counter is one object (the immortal, one Restate key), so both run their calls one at a time. One
     * system runs at a time, the immortal first; the immortal is the subject and Restate the baseline, so a ratio
     * above 1 in throughput, or below 1 in latency, is in the immortal's favour.
     */
    void restate() throws Exception {
        String immortal = "immortal REST impulse";
        String restate = "Restate virtual object";
        CounterLoad immortalLoad;
        try (Sut sut = app("restate-immortal", Map.of())) {
            immortalLoad = counterLoad(immortal, sut.base() + "/immortal/add", LoadMain.Body.TEXT);
        }
        CounterLoad restateLoad;
        try (Restate server = Restate.start(restateServer, restateJar, work, READY)) {
            log(RESTATE + ": Restate server " + server.version());
            restateLoad = counterLoad(restate, server.counterUrl("counter"), LoadMain.Body.JSON);
        }
        String clients = ", 64 clients, 100 B";
        results.add(new Measurement(RESTATE, restate + clients, "requests/s", restateLoad.requestsPerSecond(), null,
                true));
        results.add(new Measurement(RESTATE, immortal + clients, "requests/s", immortalLoad.requestsPerSecond(),
                Measurement.key(RESTATE, restate + clients), true));
        log(RESTATE + clients + ": immortal " + Stats.of(immortalLoad.requestsPerSecond()) + ", Restate "
                + Stats.of(restateLoad.requestsPerSecond()));
        for (int rate : latencyRates()) {
            String atRate = ", " + rate + "/s";
            for (var metric : restateLoad.latencies().get(rate).entrySet()) {
                results.add(new Measurement(RESTATE, restate + atRate, metric.getKey(), metric.getValue(), null, false));
            }
            for (var metric : immortalLoad.latencies().get(rate).entrySet()) {
                results.add(new Measurement(RESTATE, immortal + atRate, metric.getKey(), metric.getValue(),
                        Measurement.key(RESTATE, restate + atRate), false));
            }
            log(RESTATE + atRate + ": p50 immortal " + Stats.of(immortalLoad.latencies().get(rate).get("p50 ms"))
                    + ", Restate " + Stats.of(restateLoad.latencies().get(rate).get("p50 ms")));
        }
    }

    /**
     * What scenario 5 measured of one counter.
     *
     * @param requestsPerSecond closed loop, one value per repetition
     * @param latencies by open-loop rate, then by metric ({@code p50 ms} ...)
     */
    private record CounterLoad(List<Double> requestsPerSecond, Map<Integer, Map<String, List<Double>>> latencies) {
    }

    private CounterLoad counterLoad(String label, String url, LoadMain.Body body) throws Exception {
        String format = body.name().toLowerCase(java.util.Locale.ROOT);
        List<Double> closed = new ArrayList<>();
        for (int r = 0; r < repetitions(); r++) {
            Map<String, Double> result = JavaProcess.load(work.resolve("load.log"), "http-closed", url, "100", "64", "2",
                    quick ? "3" : "5", format);
            closed.add(result.get("requests/s"));
            if (result.get("errors") > 0) {
                log("  " + label + ", 64 clients: " + result.get("errors") + " errors");
            }
            awaitQueueRun(url, body);
        }
        Map<Integer, Map<String, List<Double>>> latencies = new java.util.LinkedHashMap<>();
        for (int rate : latencyRates()) {
            latencies.put(rate, openLoop(label, url, rate, format));
            awaitQueueRun(url, body);
        }
        return new CounterLoad(closed, latencies);
    }

    /**
     * Waits until the counter has run every call a load left queued, so that none slows the next measurement: past
     * its capacity an open loop leaves calls that the load generator gave up on (after 30 s) but the system had
     * already logged and still runs. One more call to the same object is answered only after them.
     */
    private void awaitQueueRun(String url, LoadMain.Body body) throws IOException, InterruptedException {
        HttpRequest call = HttpRequest.newBuilder(body.request(url, 100), (name, value) -> true)
                .timeout(Duration.ofMinutes(10)).build();
        HttpResponse<String> response = http.send(call, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /**
     * Scenario 6: how fast the log is replayed compared with live processing, and how long a start takes with a
     * large state, with checkpoint size and write time.
     */
    void recovery() throws Exception {
        int count = quick ? 20_000 : 100_000;
        List<Double> live = new ArrayList<>();
        List<Double> liveWaiting = new ArrayList<>();
        List<Double> replay = new ArrayList<>();
        for (int r = 0; r < repetitions(); r++) {
            try (Sut sut = app("replay", Map.of("quarkus.ambrosia.checkpoint.interval-records", "1000000000",
                    "quarkus.ambrosia.checkpoint.interval", "1h"))) {
                String base = sut.base();
                AppProcess app = sut.app();
                // live at its warm rate; the replay that follows is a cold process, as after any crash, over the
                // warm-up's records and these
                warmUp(base + "/bench/pipeline?count=5000&size=100&concurrency=" + PIPELINE_WINDOW);
                live.add(rate(post(base + "/bench/pipeline?count=" + count + "&size=100&concurrency=" + PIPELINE_WINDOW)));
                warmUp(base + "/bench/pipeline-blocking?count=5000&size=100&concurrency=" + WAITING_CALLERS);
                liveWaiting.add(rate(post(base + "/bench/pipeline-blocking?count=" + count + "&size=100&concurrency="
                        + WAITING_CALLERS)));
                app.kill9();
                app.start();
                String recovering = app.awaitLogLine("Immortal Counter: recovering from", READY);
                String ready = app.awaitLogLine("Immortal Counter is live", READY);
                long replayed = number(recovering, "replaying (\\d+) records");
                // from the start of the replay to live, not counting the clients' set-up before it
                long millis = Duration.between(loggedAt(recovering), loggedAt(ready)).toMillis();
                replay.add(replayed * 1000.0 / Math.max(1, millis));
            }
        }
        results.add(new Measurement(RECOVERY, "live processing, 100 B impulses", "records/s", live, null, true));
        String waitingLive = "live processing, 100 B impulses from " + WAITING_CALLERS + " waiting threads";
        results.add(new Measurement(RECOVERY, waitingLive, "records/s", liveWaiting, null, true));
        results.add(new Measurement(RECOVERY, "replay after kill -9, 100 B impulses", "records/s", replay,
                Measurement.key(RECOVERY, "live processing, 100 B impulses"), true));
        results.add(new Measurement(RECOVERY, "replay after kill -9 against live from waiting threads", "records/s",
                replay, Measurement.key(RECOVERY, waitingLive), true));
        log(RECOVERY + ": live " + Stats.of(live) + ", from waiting threads " + Stats.of(liveWaiting) + ", replay "
                + Stats.of(replay));

        List<Integer> states = quick ? List.of(0, 1) : List.of(0, 1, 100);
        for (int megabytes : states) {
            List<Double> startToReady = new ArrayList<>();
            List<Double> checkpointMillis = new ArrayList<>();
            List<Double> checkpointMegabytes = new ArrayList<>();
            for (int r = 0; r < repetitions(); r++) {
                try (Sut sut = app("state", Map.of("quarkus.ambrosia.checkpoint.interval", "1s",
                        "quarkus.log.category.\"io.quarkiverse.ambrosia.runtime.internal.checkpoint.Checkpointer\".level",
                        "DEBUG"))) {
                    String base = sut.base();
                    AppProcess app = sut.app();
                    if (megabytes > 0) {
                        post(base + "/blob/grow/" + megabytes);
                        String checkpoint = app.awaitLogLine("Immortal Blob: checkpoint", READY);
                        checkpointMillis.add((double) number(checkpoint, "chunks, (\\d+) ms"));
                        checkpointMegabytes.add(number(checkpoint, "log offset \\d+ of \\S+, (\\d+) bytes") / 1e6);
                    }
                    app.kill9();
                    long start = System.nanoTime();
                    app.start();
                    app.awaitHttp(base + "/blob", 200, READY);
                    startToReady.add((System.nanoTime() - start) / 1e6);
                }
            }
            String variant = megabytes == 0 ? "empty state" : megabytes + " MB state";
            results.add(new Measurement(RECOVERY, "start to ready after kill -9, " + variant, "ms", startToReady,
                    megabytes == 0 ? null : Measurement.key(RECOVERY, "start to ready after kill -9, empty state"),
                    false));
            if (megabytes > 0) {
                results.add(new Measurement(RECOVERY, "checkpoint write, " + variant, "ms", checkpointMillis, null,
                        false));
                results.add(new Measurement(RECOVERY, "checkpoint size, " + variant, "MB", checkpointMegabytes, null,
                        false));
            }
            log(RECOVERY + " / " + variant + ": start to ready " + Stats.of(startToReady));
        }
    }

    private Sut app(String name, Map<String, String> config) throws IOException {
        int port = AppProcess.freePort();
        AppProcess.Builder builder = AppProcess.builder(appJar).jvmArg("-Xmx2g")
                .systemProperty("kafka.bootstrap.servers", bootstrap)
                .systemProperty("quarkus.ambrosia.topic-prefix", "bench-" + name + "-" + UUID.randomUUID() + ".")
                .systemProperty("quarkus.http.port", Integer.toString(port))
                .outputFile(work.resolve(name + "-" + port + ".log"));
        config.forEach(builder::systemProperty);
        AppProcess app = builder.build();
        app.start();
        app.awaitHttp("http://localhost:" + port + "/immortal", 200, READY);
        return new Sut(app, "http://localhost:" + port);
    }

    /**
     * A system under test: the benchmark application as a process of its own, and where it listens.
     */
    record Sut(AppProcess app, String base) implements AutoCloseable {
        @Override
        public void close() {
            app.close();
        }
    }

    /**
     * Repeats a request until the warm-up time has passed, so the JIT has compiled the path measured next (on two
     * cores it takes several seconds under load).
     */
    private void warmUp(String url) throws IOException, InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(quick ? 1 : 5).toNanos();
        do {
            post(url);
        } while (System.nanoTime() < end);
    }

    private JsonNode post(String url) throws IOException, InterruptedException {
        return post(http, url);
    }

    /**
     * @return the JSON answer of a POST without body to the system under test
     * @throws IllegalStateException if it is not a 200
     */
    static JsonNode post(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static double rate(JsonNode timed) {
        return timed.get("records").asDouble() * 1e9 / timed.get("nanos").asDouble();
    }

    /**
     * @return the time at the start of a log line of the application ({@code 2026-12-01 09:23:46,179 INFO ...})
     */
    static java.time.LocalDateTime loggedAt(String line) {
        return java.time.LocalDateTime.parse(line.substring(0, 23).replace(' ', 'T').replace(',', '.'));
    }

    static long number(String line, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(line);
        if (!matcher.find()) {
            throw new IllegalStateException("no '" + regex + "' in: " + line);
        }
        return Long.parseLong(matcher.group(1));
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }

    private static void log(String line) {
        System.out.println("[bench] " + line);
    }
}
