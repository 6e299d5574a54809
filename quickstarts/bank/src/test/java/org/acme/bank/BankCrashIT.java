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
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Test;

import io.quarkiverse.ambrosia.testing.AppProcess;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.KillUnderLoad;

/**
 * Concurrent deposits over HTTP into the bank, run as a separate process killed with SIGKILL at random moments. Each
 * client retries every deposit with its Idempotency-Key until it is answered: at the end every account holds exactly
 * the sum of its deposits, each applied once.
 */
class BankCrashIT {

    private static final int CLIENTS = 4;
    private static final int ACCOUNTS = 8;
    private static final int KILLS = 5;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port = AppProcess.freePort();
    private final String base = "http://localhost:" + port + "/accounts/";
    // the sum of the answered deposits, by account
    private final AtomicLongArray deposited = new AtomicLongArray(ACCOUNTS);

    @Test
    void retriedDepositsAreAppliedExactlyOnceAcrossKills() throws Exception {
        String prefix = "bank-crash-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        try (AppProcess app = AppProcess.builder(Path.of(System.getProperty("app.jar")))
                .systemProperty("kafka.bootstrap.servers", EmbeddedKafkaBroker.sharedBootstrapServers())
                .systemProperty("quarkus.ambrosia.topic-prefix", prefix)
                .systemProperty("quarkus.http.port", Integer.toString(port))
                .systemProperty("quarkus.ambrosia.checkpoint.interval-records", "150")
                // a stable instance id: the restarted process takes the accounts' partitions back at once (static
                // membership), rather than after the killed one's session timeout
                .systemProperty("quarkus.ambrosia.instance-id", "bank-1")
                .systemProperty("quarkus.ambrosia.group.session-timeout", "6s")
                .systemProperty("quarkus.ambrosia.group.heartbeat-interval", "1s")
                .outputFile(Files.createDirectories(Path.of("target", "crash-it")).resolve(prefix + "log"))
                .build()) {
            KillUnderLoad.Result load = KillUnderLoad.builder("BankCrashIT")
                    .process(app, base + "a0", 200)
                    .clients(CLIENTS, Depositor::new)
                    .kills(KILLS)
                    .killAfterAnswers(50, 350)
                    .killWhileRecoveringEvery(3)
                    .run();
            System.out.printf("BankCrashIT: %d kills, %d deposits answered, %d retries%n", KILLS, load.answered(),
                    load.unanswered());
            for (int account = 0; account < ACCOUNTS; account++) {
                HttpResponse<String> balance = http.send(HttpRequest.newBuilder(URI.create(base + "a" + account)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(Long.parseLong(balance.body())).as("balance of a%d", account).isEqualTo(deposited.get(account));
            }
            assertThat(load.unanswered()).as("some deposits had to be retried").isPositive();
        }
    }

    /**
     * Makes deposits into random accounts, each retried with its Idempotency-Key until it is answered: the client may
     * never know whether an unanswered attempt was recorded, and the key makes that irrelevant.
     */
    private final class Depositor implements KillUnderLoad.Client {
        private int account;
        private long amount;
        private String key;

        @Override
        public boolean attempt(Random random) {
            if (key == null) {
                account = random.nextInt(ACCOUNTS);
                amount = 1 + random.nextInt(100);
                key = UUID.randomUUID().toString();
            }
            if (!deposit(base + "a" + account + "/deposit", amount, key)) {
                return false;
            }
            deposited.addAndGet(account, amount);
            key = null;
            return true;
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

}
