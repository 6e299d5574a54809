package io.quarkiverse.ambrosia.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkiverse.ambrosia.testing.AppProcess;
import io.quarkiverse.ambrosia.testing.KeyedInstances;

/**
 * Scenario 7: a keyed immortal ({@code benchmarks/keyed}, the counter of the other scenarios with one state per key,
 * 12 partitions) under the workload a user runs: many keys. Throughput over 1024 keys with one and two dispatcher
 * threads, and against Restate's counter virtual object over the same 1024 keys; the latency of an answer from another
 * instance's partition against one from the instance's own; the pause while a partition moves between instances; and
 * a million small keys on one instance (heap per key, checkpoint size and time, time to recover).
 */
final class KeyedBench {

    static final String KEYED = "7. Keyed immortals";
    private static final int KEYS = 1024;
    private static final int PARTITIONS = 12;
    // the checkpointer's line (at DEBUG) for a checkpoint written, naming its partition of the log
    private static final Pattern CHECKPOINT = Pattern
            .compile("Immortal KeyedCounter: checkpoint \\S+ at log offset \\d+ of (\\S+),");
    private static final Duration READY = Duration.ofSeconds(180);

    private final boolean quick;
    private final Path jar;
    private final Path work;
    private final String bootstrap;
    private final Results results;
    private final Path restateServer;
    private final Path restateJar;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    KeyedBench(boolean quick, Path jar, Path work, String bootstrap, Results results, Path restateServer,
            Path restateJar) {
        this.quick = quick;
        this.jar = jar;
        this.work = work;
        this.bootstrap = bootstrap;
        this.results = results;
        this.restateServer = restateServer;
        this.restateJar = restateJar;
    }

    void run() throws Exception {
        throughput();
        remoteAnswers();
        rebalancePause();
        millionKeys();
    }

    private int repetitions() {
        return quick ? 1 : 3;
    }

    /**
     * REST impulses over 1024 keys (64 clients in closed loop, 100 B) on one instance with one and with two dispatcher
     * threads, then Restate's counter virtual object over the same 1024 keys under the same load, and both in open
     * loop at 500 requests/s over those keys.
     */
    private void throughput() throws Exception {
        Map<Integer, List<Double>> byThreads = new LinkedHashMap<>();
        Map<String, List<Double>> immortalOpen = null;
        for (int threads : List.of(1, 2)) {
            try (Instance app = start("threads-" + threads, Map.of("quarkus.ambrosia.dispatcher.threads",
                    Integer.toString(threads)))) {
                List<Double> rates = new ArrayList<>();
                for (int r = 0; r < repetitions(); r++) {
                    rates.add(closedLoop(app.base + "/keyed/{key}/add", "text"));
                }
                byThreads.put(threads, rates);
                if (threads == 2) {
                    immortalOpen = openLoop(app.base + "/keyed/{key}/add", 500, "text", Integer.toString(KEYS));
                }
            }
            log(KEYED + " / " + threads + " dispatcher thread(s), 1024 keys: " + Stats.of(byThreads.get(threads)));
        }
        String one = "REST impulses over 1024 keys, 1 dispatcher thread";
        String two = "REST impulses over 1024 keys, 2 dispatcher threads";
        results.add(new Measurement(KEYED, one, "requests/s", byThreads.get(1), null, true));
        results.add(new Measurement(KEYED, two, "requests/s", byThreads.get(2), Measurement.key(KEYED, one), true));

        List<Double> restate = new ArrayList<>();
        Map<String, List<Double>> restateOpen;
        try (Restate server = Restate.start(restateServer, restateJar, work, READY)) {
            log(KEYED + ": Restate server " + server.version());
            for (int r = 0; r < repetitions(); r++) {
                restate.add(closedLoop(server.counterUrl("{key}"), "json"));
            }
            restateOpen = openLoop(server.counterUrl("{key}"), 500, "json", Integer.toString(KEYS));
        }
        String restateName = "Restate virtual object over 1024 keys";
        results.add(new Measurement(KEYED, restateName + ", 64 clients, 100 B", "requests/s", restate, null, true));
        results.add(new Measurement(KEYED, "immortal over 1024 keys (2 dispatcher threads), 64 clients, 100 B",
                "requests/s", byThreads.get(2), Measurement.key(KEYED, restateName + ", 64 clients, 100 B"), true));
        for (String metric : List.of("p50 ms", "p99 ms")) {
            results.add(new Measurement(KEYED, restateName + ", 500/s", metric, restateOpen.get(metric), null, false));
            results.add(new Measurement(KEYED, "immortal over 1024 keys, 500/s", metric, immortalOpen.get(metric),
                    Measurement.key(KEYED, restateName + ", 500/s"), false));
        }
        log(KEYED + " / Restate over 1024 keys: " + Stats.of(restate) + "; p50 at 500/s immortal "
                + Stats.of(immortalOpen.get("p50 ms")) + ", Restate " + Stats.of(restateOpen.get("p50 ms")));
    }

    /**
     * Two instances share the partitions; requests to one instance for keys of its own partitions, then for keys of the
     * other's (recorded here, run there, answered through the answer topic), in open loop at 200 requests/s.
     */
    private void remoteAnswers() throws Exception {
        String topics = newPrefix("answers");
        try (Instance first = start("answers-a", topics, Map.of("quarkus.ambrosia.instance-id", "bench-a"));
                Instance second = start("answers-b", topics, Map.of("quarkus.ambrosia.instance-id", "bench-b"))) {
            awaitSplit(List.of(first, second));
            TreeSet<Integer> own = owned(first);
            List<String> local = new ArrayList<>();
            List<String> remote = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                String key = "k-" + k;
                (own.contains(KeyedInstances.partitionOf(key, PARTITIONS)) ? local : remote).add(key);
            }
            String url = first.base + "/keyed/{key}/add";
            // both paths warm: the first open loop of each is not kept
            openLoop(url, 200, "text", String.join(",", local));
            openLoop(url, 200, "text", String.join(",", remote));
            Map<String, List<Double>> localLatency = openLoop(url, 200, "text", String.join(",", local));
            Map<String, List<Double>> remoteLatency = openLoop(url, 200, "text", String.join(",", remote));
            String localName = "answer from this instance's partition, 200/s";
            for (String metric : List.of("p50 ms", "p99 ms")) {
                results.add(new Measurement(KEYED, localName, metric, localLatency.get(metric), null, false));
                results.add(new Measurement(KEYED, "answer from another instance's partition, 200/s", metric,
                        remoteLatency.get(metric), Measurement.key(KEYED, localName), false));
            }
            log(KEYED + " / answers: p50 local " + Stats.of(localLatency.get("p50 ms")) + ", remote "
                    + Stats.of(remoteLatency.get("p50 ms")) + "; p99 local " + Stats.of(localLatency.get("p99 ms"))
                    + ", remote " + Stats.of(remoteLatency.get("p99 ms")));
        }
    }

    /**
     * Under an open-loop load of 200 requests/s over 1024 keys on the first instance, a second one joins, then leaves
     * with SIGTERM. The pause of a move: from the line where the old owner revokes partitions to the last line where
     * the new owner says one of them is live.
     */
    private void rebalancePause() throws Exception {
        List<Double> joins = new ArrayList<>();
        List<Double> leaves = new ArrayList<>();
        List<Double> worst = new ArrayList<>();
        for (int r = 0; r < repetitions(); r++) {
            String topics = newPrefix("rebalance-" + r);
            try (Instance first = start("rebalance-a-" + r, topics, Map.of("quarkus.ambrosia.instance-id", "a"))) {
                awaitSplit(List.of(first));
                CompletableFuture<Map<String, Double>> load = CompletableFuture.supplyAsync(() -> {
                    try {
                        return JavaProcess.load(work.resolve("load.log"), "http-open", first.base + "/keyed/{key}/add",
                                "100", "200", "1", quick ? "15" : "25", "text", Integer.toString(KEYS));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(3000);
                int firstLines = lines(first).size();
                try (Instance second = start("rebalance-b-" + r, topics, Map.of("quarkus.ambrosia.instance-id", "b"))) {
                    awaitSplit(List.of(first, second));
                    List<String> lines = lines(first);
                    joins.add(pause(lines.subList(firstLines, lines.size()), lines(second)));
                    int before = lines.size();
                    second.app.stop();
                    awaitSplit(List.of(first));
                    lines = lines(first);
                    leaves.add(pause(lines(second), lines.subList(before, lines.size())));
                }
                worst.add(load.get().get("max ms"));
            }
        }
        results.add(new Measurement(KEYED, "rebalance pause, an instance joins", "ms", joins, null, false));
        results.add(new Measurement(KEYED, "rebalance pause, an instance leaves (SIGTERM)", "ms", leaves, null, false));
        results.add(new Measurement(KEYED, "slowest answer at 200/s while one joins and leaves", "ms", worst, null,
                false));
        log(KEYED + " / rebalance: join " + Stats.of(joins) + ", leave " + Stats.of(leaves) + ", slowest answer "
                + Stats.of(worst));
    }

    /**
     * @return from the old owner's revocation to the new owner's last partition live, in ms
     */
    private static double pause(List<String> oldOwner, List<String> newOwner) {
        LocalDateTime revoked = null;
        for (String line : oldOwner) {
            if (line.contains("revoked: their tasks stop")) {
                revoked = Bench.loggedAt(line);
                break;
            }
        }
        LocalDateTime live = null;
        for (String line : newOwner) {
            if (line.contains("Immortal KeyedCounter is live")) {
                live = Bench.loggedAt(line);
            }
        }
        if (revoked == null || live == null) {
            throw new IllegalStateException("no revocation (" + revoked + ") or no partition live (" + live + ")");
        }
        return Duration.between(revoked, live).toMillis();
    }

    /**
     * A million keys (100,000 with {@code --quick}) called once each on one instance: the heap they take, the
     * checkpoints of all 12 partitions holding them (their total size, and the slowest one's write time), and the
     * time from a start after kill -9 to every partition live.
     */
    private void millionKeys() throws Exception {
        int keys = quick ? 100_000 : 1_000_000;
        String variant = (quick ? "100,000" : "a million") + " keys of 16 B";
        try (Instance app = start("million", Map.of("quarkus.ambrosia.instance-id", "million",
                "quarkus.ambrosia.checkpoint.interval", "20s", "quarkus.ambrosia.checkpoint.interval-records",
                "1000000000", "quarkus.log.category.\"io.quarkiverse.ambrosia.runtime.internal.checkpoint.Checkpointer\""
                        + ".level",
                "DEBUG"))) {
            awaitSplit(List.of(app));
            long heapBefore = Long.parseLong(get(app.base + "/bench/heap"));
            long start = System.nanoTime();
            for (int from = 0; from < keys; from += 100_000) {
                post(app.base + "/bench/fill?from=" + from + "&keys=" + Math.min(100_000, keys - from)
                        + "&concurrency=4096");
            }
            double fillRate = keys * 1e9 / (System.nanoTime() - start);
            long heapAfter = Long.parseLong(get(app.base + "/bench/heap"));
            double bytesPerKey = (heapAfter - heapBefore) / (double) keys;
            // every partition's checkpoint taken after the fill ended, holding all its keys
            int linesAtEnd = lines(app).size();
            Map<String, String> checkpoints = new LinkedHashMap<>();
            long deadline = System.nanoTime() + READY.toNanos();
            while (checkpoints.size() < PARTITIONS) {
                List<String> lines = lines(app);
                for (String line : lines.subList(linesAtEnd, lines.size())) {
                    Matcher m = CHECKPOINT.matcher(line);
                    if (m.find()) {
                        checkpoints.put(m.group(1), line);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("checkpoints of " + checkpoints.keySet() + " only");
                }
                Thread.sleep(500);
            }
            double megabytes = 0;
            double slowest = 0;
            for (String line : checkpoints.values()) {
                megabytes += Bench.number(line, "of \\S+, (\\d+) bytes") / 1e6;
                slowest = Math.max(slowest, Bench.number(line, "chunks, (\\d+) ms"));
            }
            app.app.kill9();
            long restart = System.nanoTime();
            app.app.start();
            app.app.awaitHttp(app.base + "/q/health/ready", 200, READY);
            double recoverMillis = (System.nanoTime() - restart) / 1e6;
            results.add(new Measurement(KEYED, variant + ": calls from one event loop", "records/s",
                    List.of(fillRate), null, true));
            results.add(new Measurement(KEYED, variant + ": heap per key", "bytes", List.of(bytesPerKey), null, false));
            results.add(new Measurement(KEYED, variant + ": checkpoints of the 12 partitions", "MB",
                    List.of(megabytes), null, false));
            results.add(new Measurement(KEYED, variant + ": slowest partition's checkpoint write", "ms",
                    List.of(slowest), null, false));
            results.add(new Measurement(KEYED, variant + ": start to every partition live after kill -9", "ms",
                    List.of(recoverMillis), null, false));
            log(KEYED + " / " + variant + ": " + Math.round(fillRate) + " calls/s, " + Math.round(bytesPerKey)
                    + " B/key on the heap, checkpoints " + Math.round(megabytes) + " MB (slowest " + slowest
                    + " ms), recovered in " + Math.round(recoverMillis) + " ms");
        }
    }

    // --- the instances

    /** One instance of the keyed benchmark application, with its own topic prefix unless given one. */
    private record Instance(AppProcess app, String base) implements AutoCloseable {
        @Override
        public void close() {
            app.close();
        }
    }

    private static String newPrefix(String name) {
        return "bench-keyed-" + name + "-" + UUID.randomUUID() + ".";
    }

    private Instance start(String name, Map<String, String> config) throws IOException {
        return start(name, newPrefix(name), config);
    }

    /**
     * Starts an instance with the given topic prefix (the instances of one measurement share it) and waits until its
     * HTTP server answers; {@link #awaitSplit} waits for its partitions.
     */
    private Instance start(String name, String topicPrefix, Map<String, String> config) throws IOException {
        int port = AppProcess.freePort();
        AppProcess.Builder builder = AppProcess.builder(jar).jvmArg("-Xmx2g")
                .systemProperty("kafka.bootstrap.servers", bootstrap)
                .systemProperty("quarkus.ambrosia.topic-prefix", topicPrefix)
                .systemProperty("quarkus.http.port", Integer.toString(port))
                .outputFile(work.resolve("keyed-" + name + "-" + port + ".log"));
        config.forEach(builder::systemProperty);
        AppProcess app = builder.build();
        app.start();
        app.awaitHttp("http://localhost:" + port + "/q/health/live", 200, READY);
        return new Instance(app, "http://localhost:" + port);
    }

    /** Waits until the instances run every partition between them, each some and none twice, all live. */
    private void awaitSplit(List<Instance> instances) throws InterruptedException {
        long deadline = System.nanoTime() + READY.toNanos();
        while (!KeyedInstances.split(instances.stream().map(this::owned).toList(), PARTITIONS)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the partitions are not split over " + instances.size()
                        + " instances within " + READY);
            }
            Thread.sleep(200);
        }
    }

    private TreeSet<Integer> owned(Instance instance) {
        try {
            return KeyedInstances.owned(http.send(HttpRequest.newBuilder(URI.create(instance.base + "/q/health/ready"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body(), PARTITIONS);
        } catch (IOException e) {
            // not up yet
            return new TreeSet<>();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TreeSet<>();
        }
    }

    private static List<String> lines(Instance instance) throws IOException {
        return Files.readAllLines(instance.app.outputFile());
    }

    // --- the loads

    private double closedLoop(String url, String body) throws Exception {
        return JavaProcess.load(work.resolve("load.log"), "http-closed", url, "100", "64", "2", quick ? "3" : "5", body,
                Integer.toString(KEYS)).get("requests/s");
    }

    private Map<String, List<Double>> openLoop(String url, int rate, String body, String keys) throws Exception {
        Map<String, List<Double>> byMetric = new LinkedHashMap<>();
        for (int r = 0; r < repetitions(); r++) {
            Map<String, Double> result = JavaProcess.load(work.resolve("load.log"), "http-open", url, "100",
                    Integer.toString(rate), quick ? "2" : "3", quick ? "3" : "10", body, keys);
            for (String metric : List.of("p50 ms", "p99 ms")) {
                byMetric.computeIfAbsent(metric, m -> new ArrayList<>()).add(result.get(metric));
            }
            if (result.get("errors") > 0) {
                log("  " + url + " at " + rate + "/s: " + result.get("errors") + " errors");
            }
        }
        return byMetric;
    }

    private String get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private JsonNode post(String url) throws IOException, InterruptedException {
        return Bench.post(http, url);
    }

    private static void log(String line) {
        System.out.println("[bench] " + line);
    }
}
