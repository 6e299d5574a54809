package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A log is an input anyone with write access can fill: many random, malformed and forged records (impulses, calls,
 * replies, control records) interleaved with valid requests. The immortal keeps answering without ever recovering
 * again, keeps taking checkpoints, and a replay after {@code kill -9} reaches the same state and rejects the same
 * records for the same reasons.
 * <p>
 * The seed is printed; run again with {@code -Dfuzz.seed=<seed>} to repeat the records and requests.
 */
class LogFuzzIT {

    private static final String IMMORTAL = "Wallet";
    private static final List<String> ACCOUNTS = List.of("a", "b", "c", "d", "e");
    // what a dispatcher logs when it gives up a record or an output, with the offset of the record
    private static final Pattern REJECTION = Pattern.compile("Immortal " + IMMORTAL + ": (rejected[^\\n]*)");
    private static final Pattern OFFSET = Pattern.compile("at offset (\\d+)");
    private static final Pattern RECOVERED_FROM = Pattern.compile("at log offset (\\d+)");
    private static final String CHECKPOINT = "Immortal " + IMMORTAL + ": checkpoint ";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Long> expected = new TreeMap<>();
    private final List<Keyed> keyed = new ArrayList<>();
    private int keys;

    private record Keyed(String path, String body, String key, int status, String answer) {
    }

    @Test
    void foreignRecordsNeitherStallNorDivergeAnImmortal() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("LogFuzzIT seed: " + seed + " (-Dfuzz.seed=" + seed + " repeats it)");
        Random random = new Random(seed);
        String prefix = TestApp.newPrefix("fuzz");
        ForgedRecords forged = new ForgedRecords(seed, prefix, IMMORTAL);
        Map<String, String> debugCheckpoints = Map.of(
                "quarkus.log.category.\"io.quarkiverse.ambrosia\".level", "DEBUG",
                "quarkus.ambrosia.checkpoint.interval-records", "25");
        try (KafkaProducer<byte[], byte[]> writer = writer()) {
            // 1: checkpoints are taken every 25 records, amid the foreign ones
            try (TestApp app = TestApp.start(prefix, debugCheckpoints)) {
                for (int round = 0; round < 6; round++) {
                    int checkpoints = count(app, CHECKPOINT);
                    fuzz(app, writer, forged, random, 30);
                    awaitMore(app, CHECKPOINT, checkpoints);
                }
                replayMatches(app);
            }
            // 2: no checkpoint at all, so the replay after the kill runs every record of this part again
            Map<String, String> noCheckpoints = Map.of("quarkus.ambrosia.checkpoint.interval-records", "100000000",
                    "quarkus.ambrosia.checkpoint.interval", "24h");
            try (TestApp app = TestApp.start(prefix, noCheckpoints)) {
                for (int round = 0; round < 4; round++) {
                    fuzz(app, writer, forged, random, 40);
                }
                assertThat(count(app, CHECKPOINT)).isZero();
                replayMatches(app);
            }
        }
    }

    /**
     * Interleaves {@code records} foreign records with about as many valid requests, each answered as the test's
     * model of the accounts says.
     */
    private void fuzz(TestApp app, KafkaProducer<byte[], byte[]> writer, ForgedRecords forged, Random random,
            int records) throws Exception {
        for (int i = 0; i < records; i++) {
            writer.send(forged.next()).get();
            if (random.nextBoolean()) {
                request(app, random);
            }
        }
        request(app, random);
        Wallet.Snapshot state = snapshot(app);
        for (String account : ACCOUNTS) {
            assertThat(state.balances().get(account)).as("balance of %s", account).isEqualTo(expected.get(account));
        }
        assertThat(state.timeWentBack()).as("Immortals.now() went backwards").isFalse();
        assertNeverRecovered(app);
    }

    private void request(TestApp app, Random random) throws Exception {
        if (!keyed.isEmpty() && random.nextInt(8) == 0) {
            // a retry of a keyed request: the same answer, and nothing runs again
            Keyed retry = keyed.get(random.nextInt(keyed.size()));
            HttpResponse<String> answer = post(app, retry.path(), retry.body(), retry.key());
            assertThat(answer.statusCode()).as("retry of %s", retry).isEqualTo(retry.status());
            assertThat(answer.body()).as("retry of %s", retry).isEqualTo(retry.answer());
            return;
        }
        String account = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
        long balance = expected.getOrDefault(account, 0L);
        boolean deposit = balance == 0 || random.nextInt(3) > 0;
        long amount = deposit ? 1 + random.nextInt(100) : 1 + random.nextInt((int) balance + 20);
        String path = "/wallet/" + account + (deposit ? "/deposit" : "/withdraw");
        String key = random.nextInt(3) == 0 ? "v-" + keys++ : null;
        HttpResponse<String> answer = post(app, path, Long.toString(amount), key);
        if (deposit || amount <= balance) {
            long now = deposit ? balance + amount : balance - amount;
            assertThat(answer.statusCode()).as("%s %d", path, amount).isEqualTo(200);
            assertThat(answer.body()).as("%s %d", path, amount).isEqualTo(Long.toString(now));
            expected.put(account, now);
        } else {
            assertThat(answer.statusCode()).as("%s %d (balance %d)", path, amount, balance).isEqualTo(400);
        }
        if (key != null) {
            keyed.add(new Keyed(path, Long.toString(amount), key, answer.statusCode(), answer.body()));
        }
    }

    /**
     * Kills the application, restarts it, and checks that the replay reached the same state and rejected the records
     * after its checkpoint exactly as the run before did.
     */
    private void replayMatches(TestApp app) {
        String before = app.get("/wallet").body();
        Map<Long, String> rejectedBefore = rejections(app.process.output());
        app.process.kill9();
        app.restart();
        String recovering = app.process.awaitLogLine("Immortal " + IMMORTAL + ": recovering", TestApp.READY);
        Matcher from = RECOVERED_FROM.matcher(recovering);
        long start = from.find() ? Long.parseLong(from.group(1)) : 0;
        assertThat(app.get("/wallet").body()).as("state after the replay").isEqualTo(before);
        Map<Long, String> rejectedAgain = rejections(app.process.output());
        Map<Long, String> expectedAgain = new TreeMap<>(rejectedBefore);
        expectedAgain.keySet().removeIf(offset -> offset < start);
        assertThat(rejectedAgain).as("records rejected by the replay from offset %d", start).isEqualTo(expectedAgain);
        assertNeverRecovered(app);
    }

    private static Map<Long, String> rejections(String output) {
        Map<Long, String> rejected = new TreeMap<>();
        Matcher line = REJECTION.matcher(output);
        while (line.find()) {
            Matcher offset = OFFSET.matcher(line.group(1));
            assertThat(offset.find()).as("offset in '%s'", line.group(1)).isTrue();
            String previous = rejected.put(Long.parseLong(offset.group(1)), line.group(1));
            assertThat(previous).as("a second rejection of the record at offset %s", offset.group(1)).isNull();
        }
        return rejected;
    }

    private static void assertNeverRecovered(TestApp app) {
        String output = app.process.output();
        assertThat(output).doesNotContain("recovering again", "dispatcher failed");
        assertThat(count(app, "Immortal " + IMMORTAL + " is live at offset")).isEqualTo(1);
    }

    private static int count(TestApp app, String text) {
        String output = app.process.output();
        int count = 0;
        for (int at = output.indexOf(text); at >= 0; at = output.indexOf(text, at + 1)) {
            count++;
        }
        return count;
    }

    /** Waits until the application has logged the text more than {@code than} times. */
    private static void awaitMore(TestApp app, String text, int than) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(app, text) <= than) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No new '" + text + "' line within 30 s:\n" + app.process.output());
            }
            // the application's output is a file: nothing signals a new line
            Thread.sleep(50);
        }
    }

    private Wallet.Snapshot snapshot(TestApp app) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(app.get("/wallet").body(),
                Wallet.Snapshot.class);
    }

    private HttpResponse<String> post(TestApp app, String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.base + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static KafkaProducer<byte[], byte[]> writer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestApp.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }
}
