package io.quarkiverse.ambrosia.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;

class LoadMainTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /**
     * Serves every request after {@code delayMillis}, the first one after {@code firstDelayMillis}.
     */
    private String serve(long delayMillis, long firstDelayMillis, AtomicInteger requests) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            long delay = requests.getAndIncrement() == 0 ? firstDelayMillis : delayMillis;
            // the server under test is slow on purpose
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delay));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Test
    void openLoopLatencyIsMeasuredFromWhenEachRequestWasDue() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        Map<String, Object> result = LoadMain.httpOpen(serve(20, 20, requests), 10, 100, 0, 2);
        assertThat((double) result.get("p50 ms")).isBetween(20.0, 200.0);
        assertThat((double) result.get("answered/s")).isBetween(90.0, 110.0);
        assertThat(requests.get()).isEqualTo(200);
        assertThat(result.get("errors")).isEqualTo(0L);
    }

    @Test
    void requestsThatTimeOutCountAsErrorsAndAsAtLeastTheTimeoutInTheLatencies() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        // every answer comes long after the 200 ms timeout: an overloaded system answers nothing in time
        Map<String, Object> result = LoadMain.httpOpen(serve(1500, 1500, requests), 10, 20, 0, 1, LoadMain.Body.TEXT,
                java.time.Duration.ofMillis(200));
        assertThat(result.get("errors")).as("%s", result).isEqualTo(20L);
        assertThat(result.get("timed out")).isEqualTo(20L);
        assertThat((double) result.get("p50 ms")).isGreaterThanOrEqualTo(200.0);
        assertThat((double) result.get("answered/s")).isEqualTo(0.0);
    }

    @Test
    void closedLoopCountsAnswersWithinTheWindowOnly() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        Map<String, Object> result = LoadMain.httpClosed(serve(10, 10, requests), 10, 4, 1, 2);
        // 4 clients, 10 ms each: at most 400 answers a second
        assertThat((double) result.get("requests/s")).isBetween(50.0, 400.0);
        assertThat(requests.get()).isGreaterThan(100);
    }

    @Test
    void aJsonBodyIsThePayloadAsOneJsonString() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        LoadMain.httpOpen(url, 5, 10, 0, 1, LoadMain.Body.JSON);
        LoadMain.httpOpen(url, 5, 10, 0, 1, LoadMain.Body.of(new String[]{"http-open"}, 6));
        assertThat(seen).hasSize(20);
        assertThat(seen.subList(0, 10)).containsOnly("application/json \"xxxxx\"");
        assertThat(seen.subList(10, 20)).containsOnly("text/plain xxxxx");
        assertThat(LoadMain.Body.of(new String[]{"http-closed", url, "5", "1", "0", "1", "json"}, 6))
                .isEqualTo(LoadMain.Body.JSON);
    }

    @Test
    void aKeyedUrlGetsAKeyDrawnFromTheKeysForEachRequest() throws Exception {
        List<String> paths = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/keyed/{key}/add";
        LoadMain.httpOpen(url, 5, 100, 0, 1, LoadMain.Body.TEXT, java.time.Duration.ofSeconds(5),
                LoadMain.Keys.of(new String[]{"7"}, 0));
        assertThat(paths).hasSize(100).allMatch(path -> path.matches("/keyed/k-[0-6]/add"));
        assertThat(paths.stream().distinct().count()).as("keys drawn").isGreaterThan(3);
        paths.clear();
        LoadMain.httpClosed(url, 5, 2, 0, 1, LoadMain.Body.TEXT, LoadMain.Keys.of(new String[]{"a,b"}, 0));
        assertThat(paths).isNotEmpty().allMatch(path -> path.equals("/keyed/a/add") || path.equals("/keyed/b/add"));
    }

    @Test
    void thePipelineMovesEveryRecordThroughTheBroker() throws Exception {
        String bootstrap = EmbeddedKafkaBroker.sharedBootstrapServers();
        for (int batch : new int[]{0, 50}) {
            Map<String, Object> result = LoadMain.pipeline(bootstrap, "load-test-" + UUID.randomUUID(), 100, 500, batch);
            assertThat((double) result.get("records/s")).isPositive();
            assertThat((double) result.get("MB/s")).isEqualTo((double) result.get("records/s") * 100 / 1e6,
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }
}
