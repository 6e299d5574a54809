package org.acme.transfer.transfers;

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
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.testing.AppProcess;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.KillUnderLoad;

/**
 * The two services on one broker, the accounts (keyed, one state per account) as two instances sharing its
 * partitions and the transfers as one, under random transfers, each process killed with SIGKILL at random moments
 * (while serving, while recovering, and right after a checkpoint taken with calls in flight) and started again; and
 * twice an accounts instance stays down for longer than the calls' timeout, so transfers in flight to its accounts
 * time out and are compensated, their cancellations timing out too until it is back. Every transfer is retried with its id
 * as Idempotency-Key until it gets a receipt. At the end: no money was created or lost, every transfer is either done
 * (both legs applied exactly once) or refused (nothing of it left applied), none is half-applied, and nothing moved
 * without a receipt.
 */
class TransferCrashIT {

    private static final int ACCOUNTS = 10;
    private static final int CLIENTS = 4;
    private static final int KILLS = 12;
    private static final Duration CALLS_TIMEOUT = Duration.ofSeconds(3);
    // longer than the calls' timeout even before the restart and recovery add to it
    private static final Duration OUTAGE = CALLS_TIMEOUT.plusSeconds(2);
    private static final long OPENING_BALANCE = 1000;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int accountsPort = AppProcess.freePort();
    private final int otherAccountsPort = AppProcess.freePort();
    private final int transfersPort = AppProcess.freePort();
    private final String accountsUrl = "http://localhost:" + accountsPort + "/accounts";
    private final String transfersUrl = "http://localhost:" + transfersPort + "/transfers";
    private final Map<String, JsonNode> receipts = new ConcurrentHashMap<>();

    @Test
    void everyReceiptedTransferMovesItsMoneyExactlyOnceOnBothSides() throws Exception {
        String prefix = "transfer-crash-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Path logs = Files.createDirectories(Path.of("target", "crash-it"));
        try (AppProcess accounts = app("accounts.jar", prefix, accountsPort, logs.resolve(prefix + "accounts-1.log"));
                AppProcess otherAccounts = app("accounts.jar", prefix, otherAccountsPort,
                        logs.resolve(prefix + "accounts-2.log"));
                AppProcess transfers = app("transfers.jar", prefix, transfersPort,
                        logs.resolve(prefix + "transfers.log"))) {
            // the accounts' log must exist before the first transfer calls it
            accounts.start();
            accounts.awaitHttp(ready(accountsPort), 200, Duration.ofSeconds(90));
            KillUnderLoad.Result load = KillUnderLoad.builder("TransferCrashIT")
                    .process(accounts, ready(accountsPort), 200)
                    .process(otherAccounts, ready(otherAccountsPort), 200)
                    .process(transfers, transfersUrl, 200)
                    .clients(CLIENTS, Transferer::new)
                    .kills(KILLS)
                    .killAfterAnswers(100, 300)
                    .answersAfterKills(1000)
                    // calls are in flight and the checkpoint was just taken: recovery starts from it
                    .killOnLogLine(transfers, "taken after a drain", 3)
                    // kills 5 and 10: transfers time out on the accounts and must be compensated
                    .outageEvery(accounts, OUTAGE, 5)
                    .killWhileRecoveringEvery(4)
                    .run();
            System.out.println("TransferCrashIT: " + load);
            assertThat(load.killsPerProcess().get(0) + load.killsPerProcess().get(1)).as("kills of accounts")
                    .isPositive();
            assertThat(load.killsPerProcess().get(2)).as("kills of transfers").isPositive();

            // read through one instance: the accounts the other runs are read through the log
            Map<String, Long> balances = new java.util.TreeMap<>();
            Map<String, List<String>> journal = new java.util.TreeMap<>();
            for (int a = 0; a < ACCOUNTS; a++) {
                balances.put("a" + a, Long.parseLong(get(accountsUrl + "/a" + a)));
                Map<String, List<String>> movements = json.readValue(get(accountsUrl + "/a" + a + "/journal"),
                        new TypeReference<>() {
                        });
                movements.forEach((id, moved) -> journal.computeIfAbsent(id, i -> new ArrayList<>()).addAll(moved));
            }
            // each transfer's movements in the order they ran: on the source account, then on the destination
            for (JsonNode receipt : receipts.values()) {
                List<String> movements = journal.get(receipt.get("id").asText());
                if (movements != null) {
                    movements.sort(java.util.Comparator.comparing(m -> m.startsWith("deposit ") ? 1 : 0));
                }
            }
            assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).as("money in all accounts")
                    .isEqualTo(OPENING_BALANCE * balances.size());
            long done = 0;
            long compensated = 0;
            for (JsonNode receipt : receipts.values()) {
                String id = receipt.get("id").asText();
                String status = receipt.get("status").asText();
                long amount = receipt.get("amount").asLong();
                String withdrawal = "withdraw " + receipt.get("from").asText() + " " + amount;
                if (status.equals("done")) {
                    done++;
                    // no balances: the replies were lost to a timeout, and the cancellation found both legs applied
                    compensated += receipt.get("fromBalance").isNull() ? 1 : 0;
                    assertThat(journal.get(id)).as("movements of transfer %s", id).containsExactly(withdrawal,
                            "deposit " + receipt.get("to").asText() + " " + amount);
                } else {
                    assertThat(status).as("transfer %s", id).startsWith("refused: ");
                    if (status.startsWith("refused: cancelled")) {
                        compensated++;
                    }
                    // nothing moved, or the withdrawal was refunded: net zero for both accounts
                    assertThat(journal.getOrDefault(id, List.of())).as("movements of refused transfer %s", id)
                            .isIn(List.of(), List.of(withdrawal,
                                    "refund " + receipt.get("from").asText() + " " + amount));
                }
                // the receipt the client got is the one the service keeps
                assertThat(json.readTree(get(transfersUrl + "/" + id))).isEqualTo(receipt);
            }
            assertThat(receipts.keySet()).as("every transfer that moved money has a receipt")
                    .containsAll(journal.keySet());
            // and the balances are exactly the journal's movements
            Map<String, Long> replayed = new java.util.TreeMap<>();
            balances.keySet().forEach(account -> replayed.put(account, OPENING_BALANCE));
            for (List<String> movements : journal.values()) {
                for (String movement : movements) {
                    String[] parts = movement.split(" ");
                    // a deposit or a refund puts money in
                    long delta = parts[0].equals("withdraw") ? -Long.parseLong(parts[2]) : Long.parseLong(parts[2]);
                    replayed.merge(parts[1], delta, Long::sum);
                }
            }
            assertThat(balances).isEqualTo(replayed);
            System.out.printf("TransferCrashIT: %d transfers receipted (%d done, %d compensated after a timeout), %d"
                    + " accounts%n", receipts.size(), done, compensated, balances.size());
            // each outage caught the transfers in flight
            assertThat(compensated).as("transfers compensated after a timeout").isPositive();
            // at least 8 kills waited for 100 answers each, and 1000 more came after the last
            assertThat(receipts).hasSizeGreaterThanOrEqualTo(1800);
            assertThat(done).isGreaterThan(1500);
        }
    }

    private static String ready(int port) {
        return "http://localhost:" + port + "/q/health/ready";
    }

    private AppProcess app(String jar, String prefix, int port, Path output) {
        return AppProcess.builder(Path.of(System.getProperty(jar)))
                .systemProperty("kafka.bootstrap.servers", EmbeddedKafkaBroker.sharedBootstrapServers())
                .systemProperty("quarkus.ambrosia.topic-prefix", prefix)
                .systemProperty("quarkus.http.port", Integer.toString(port))
                // checkpoints often, so some are taken while calls are in flight and recoveries start from them
                .systemProperty("quarkus.ambrosia.checkpoint.interval-records", "100")
                // short, so that outages of the accounts make calls time out and transfers be compensated
                .systemProperty("quarkus.ambrosia.calls.timeout", CALLS_TIMEOUT.toSeconds() + "s")
                .systemProperty("quarkus.ambrosia.call-timeout", "5s")
                // a stable instance id per process: a restarted accounts instance takes its partitions back at once,
                // and a dead one's are taken by the other within the short session
                .systemProperty("quarkus.ambrosia.instance-id", "transfer-" + port)
                .systemProperty("quarkus.ambrosia.group.session-timeout", "6s")
                .systemProperty("quarkus.ambrosia.group.heartbeat-interval", "1s")
                .outputFile(output)
                .build();
    }

    /**
     * Makes random transfers, each retried with its id as Idempotency-Key until it gets a receipt.
     */
    private final class Transferer implements KillUnderLoad.Client {
        private String body;
        private String id;

        @Override
        public boolean attempt(Random random) throws IOException {
            if (id == null) {
                int from = random.nextInt(ACCOUNTS);
                int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                id = UUID.randomUUID().toString();
                body = json.writeValueAsString(Map.of("id", id, "from", "a" + from, "to", "a" + to, "amount",
                        1 + random.nextInt(200)));
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(transfersUrl)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Idempotency-Key", id)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (response.statusCode() != 200) {
                // recorded and still running (202), or the service is down or recovering
                assertThat(response.statusCode()).as("a retryable answer: %s", response.body()).isIn(202, 503, 504);
                return false;
            }
            JsonNode receipt = json.readTree(response.body());
            assertThat(receipt.get("id").asText()).isEqualTo(id);
            receipts.put(id, receipt);
            id = null;
            return true;
        }
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return response.body();
    }
}
