package io.quarkiverse.ambrosia.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KillUnderLoadTest {

    private static final int CLIENTS = 3;
    private static final int KILLS = 6;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void killsProcessesAtRandomUnderLoadAndEndsWithEveryClientAnswered(@TempDir Path dir) throws Exception {
        Path jar = EchoApp.jar(dir);
        int firstPort = AppProcess.freePort();
        int secondPort = AppProcess.freePort();
        List<String> urls = List.of("http://127.0.0.1:" + firstPort + "/", "http://127.0.0.1:" + secondPort + "/");
        Queue<EchoClient> clients = new ConcurrentLinkedQueue<>();
        KillUnderLoad.Result load;
        try (AppProcess first = echoApp(jar, dir, "first", firstPort);
                AppProcess second = echoApp(jar, dir, "second", secondPort)) {
            load = KillUnderLoad.builder("KillUnderLoadTest")
                    .process(first, urls.get(0), 200)
                    .process(second, urls.get(1), 200)
                    .clients(CLIENTS, () -> {
                        EchoClient client = new EchoClient(urls);
                        clients.add(client);
                        return client;
                    })
                    .kills(KILLS)
                    .killAfterAnswers(5, 30)
                    .killWhileRecoveringEvery(2)
                    .answersAfterKills(20)
                    .timeout(Duration.ofSeconds(20))
                    .run();
            assertThat(first.isAlive()).isTrue();
            assertThat(second.isAlive()).isTrue();
        }

        List<Integer> kills = load.killsPerProcess();
        assertThat(kills).hasSize(2);
        assertThat(kills.get(0) + kills.get(1)).isEqualTo(KILLS);
        // every kill restarted its process: each run counted itself before serving
        assertThat(Files.readString(dir.resolve("first.runs"))).isEqualTo(String.valueOf(1 + kills.get(0)));
        assertThat(Files.readString(dir.resolve("second.runs"))).isEqualTo(String.valueOf(1 + kills.get(1)));
        // three kills after 5 or more answers each, then 20 more; the other three came while a process recovered
        assertThat(load.answered()).isGreaterThanOrEqualTo(3 * 5 + 20);
        assertThat(load.unanswered()).as("attempts on a killed process").isPositive();
        assertThat(clients).hasSize(CLIENTS).allSatisfy(client -> assertThat(client.lastAnswered).isTrue());
    }

    @Test
    void aFailingClientFailsTheRun(@TempDir Path dir) throws Exception {
        int port = AppProcess.freePort();
        String url = "http://127.0.0.1:" + port + "/";
        AtomicInteger attempts = new AtomicInteger();
        try (AppProcess app = echoApp(EchoApp.jar(dir), dir, "app", port)) {
            KillUnderLoad.Builder load = KillUnderLoad.builder("KillUnderLoadTest")
                    .process(app, url, 200)
                    .clients(2, () -> random -> {
                        if (attempts.incrementAndGet() == 10) {
                            throw new IllegalStateException("unexpected answer");
                        }
                        return get(url);
                    })
                    .kills(1)
                    .killAfterAnswers(1_000_000, 1_000_001);
            assertThatThrownBy(load::run).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("a client failed")
                    .cause().hasMessage("unexpected answer");
            assertThat(app.isAlive()).as("not killed: the failure came first").isTrue();
        }
    }

    @Test
    void tooFewAnswersFailTheRunInTime(@TempDir Path dir) throws Exception {
        int port = AppProcess.freePort();
        String url = "http://127.0.0.1:" + port + "/";
        try (AppProcess app = echoApp(EchoApp.jar(dir), dir, "app", port)) {
            KillUnderLoad.Builder load = KillUnderLoad.builder("KillUnderLoadTest")
                    .process(app, url, 200)
                    .clients(2, () -> random -> false)
                    .kills(1)
                    .timeout(Duration.ofSeconds(1));
            assertThatThrownBy(load::run).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("answers expected within PT1S, got 0")
                    .hasMessageContaining("processes alive: [true]");
        }
    }

    // Calls either process at random and remembers whether its last attempt was answered.
    private final class EchoClient implements KillUnderLoad.Client {
        private final List<String> urls;
        private boolean lastAnswered;

        EchoClient(List<String> urls) {
            this.urls = urls;
        }

        @Override
        public boolean attempt(Random random) {
            lastAnswered = get(urls.get(random.nextInt(urls.size())));
            return lastAnswered;
        }
    }

    private AppProcess echoApp(Path jar, Path dir, String name, int port) {
        return AppProcess.builder(jar)
                .systemProperty("echo.port", Integer.toString(port))
                .systemProperty("echo.runs", dir.resolve(name + ".runs").toString())
                .outputFile(dir.resolve(name + ".log"))
                .build();
    }

    private boolean get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
