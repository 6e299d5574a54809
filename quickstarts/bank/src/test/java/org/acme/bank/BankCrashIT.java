package org.acme.bank;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import io.quarkiverse.ambrosia.testing.AppProcess;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;

/**
 * Concurrent deposits over HTTP into the bank, run as a separate process killed with SIGKILL at random moments. Each
 * client retries every deposit with its Idempotency-Key until it is answered: at the end every account holds exactly
 * the sum of its deposits, each applied once.
 */
class BankCrashIT {

    private static final int CLIENTS = 4;
    private static final int ACCOUNTS = 8;
    private static final int KILLS = 5;
    private static final Duration READY = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void retriedDepositsAreAppliedExactlyOnceAcrossKills() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("BankCrashIT seed: " + seed + " (rerun with -Dcrash.seed=" + seed + ")");
        Random random = new Random(seed);
        String prefix = "bank-crash-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        int port = AppProcess.freePort();
        AppProcess app = AppProcess.builder(Path.of(System.getProperty("app.jar")))
                .systemProperty("kafka.bootstrap.servers", EmbeddedKafkaBroker.sharedBootstrapServers())
                .systemProperty("quarkus.ambrosia.topic-prefix", prefix)
                .systemProperty("quarkus.http.port", Integer.toString(port))
                .systemProperty("quarkus.ambrosia.checkpoint.interval-records", "150")
                .outputFile(Files.createDirectories(Path.of("target", "crash-it")).resolve(prefix + "log"))
                .build();
        String base = "http://localhost:" + port + "/accounts/";

        AtomicLongArray deposited = new AtomicLongArray(ACCOUNTS);
        AtomicLong answered = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        AtomicBoolean loading = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        try {
            app.start();
            app.awaitHttp(base + "a0", 200, READY);
            for (int c = 0; c < CLIENTS; c++) {
                Random clientRandom = new Random(random.nextLong());
                Thread client = new Thread(() -> {
                    while (loading.get()) {
                        int account = clientRandom.nextInt(ACCOUNTS);
                        long amount = 1 + clientRandom.nextInt(100);
                        String key = UUID.randomUUID().toString();
                        // a deposit, once sent, is retried until answered: the client may never know whether an
                        // unanswered attempt was recorded, and the key makes that irrelevant
                        while (!deposit(base + "a" + account + "/deposit", amount, key)) {
                            retries.incrementAndGet();
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                        }
                        deposited.addAndGet(account, amount);
                        answered.incrementAndGet();
                    }
                }, "bank-client-" + c);
                client.start();
                clients.add(client);
            }
            for (int kill = 0; kill < KILLS; kill++) {
                if (kill % 3 == 2) {
                    app.awaitLogLine("recovering from", READY);
                } else {
                    awaitAnswered(answered, answered.get() + 50 + random.nextInt(300));
                }
                app.kill9();
                app.start();
                app.awaitHttp(base + "a0", 200, READY);
            }
            awaitAnswered(answered, answered.get() + 100);
        } finally {
            loading.set(false);
            for (Thread client : clients) {
                client.join(TimeUnit.SECONDS.toMillis(60));
            }
        }
        try {
            System.out.printf("BankCrashIT: %d kills, %d deposits answered, %d retries%n", KILLS, answered.get(),
                    retries.get());
            for (int account = 0; account < ACCOUNTS; account++) {
                HttpResponse<String> balance = http.send(HttpRequest.newBuilder(URI.create(base + "a" + account)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(Long.parseLong(balance.body())).as("balance of a%d", account).isEqualTo(deposited.get(account));
            }
            assertThat(retries.get()).as("some deposits had to be retried").isPositive();
        } finally {
            app.stop();
        }
    }

    private boolean deposit(String url, long amount, String key) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(Long.toString(amount))).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return true;
            }
            assertThat(response.statusCode()).as("a retryable answer: %s", response.body()).isIn(503, 504);
            return false;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void awaitAnswered(AtomicLong count, long target) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (count.get() < target) {
            assertThat(System.nanoTime()).as("%d answers in time", target).isLessThan(deadline);
            // the client threads count answers; polling their counter is cheaper than a latch per answer
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

}
