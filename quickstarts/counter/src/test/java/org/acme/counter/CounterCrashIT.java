package org.acme.counter;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.quarkiverse.ambrosia.testing.AppProcess;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.KillUnderLoad;
import io.quarkiverse.ambrosia.testing.TopicReader;

/**
 * Runs the quickstart as a separate process under a stream of additions, kills it with SIGKILL at random moments
 * (while serving, and while recovering) with {@link KillUnderLoad}, restarts it, and checks exactly-once against the
 * log itself, for additions through the blocking endpoint and through the one served on the event loop alike.
 */
class CounterCrashIT {

    private static final int CLIENTS = 4;
    private static final int KILLS = 6;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyAnsweredAdditionIsAppliedExactlyOnceAcrossKills() throws Exception {
        String bootstrap = EmbeddedKafkaBroker.sharedBootstrapServers();
        String prefix = "crash-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        int port = AppProcess.freePort();
        Path output = Files.createDirectories(Path.of("target", "crash-it")).resolve(prefix + "log");
        String base = "http://localhost:" + port + "/counter";
        Queue<long[]> answered = new ConcurrentLinkedQueue<>();
        KillUnderLoad.Result load;
        long finalValue;
        try (AppProcess app = AppProcess.builder(Path.of(System.getProperty("app.jar")))
                .systemProperty("kafka.bootstrap.servers", bootstrap)
                .systemProperty("quarkus.ambrosia.topic-prefix", prefix)
                .systemProperty("quarkus.http.port", Integer.toString(port))
                // checkpoints often, so recoveries load one and replay the rest; keep the whole log to check it
                .systemProperty("quarkus.ambrosia.checkpoint.interval-records", "200")
                .systemProperty("quarkus.ambrosia.log.trim", "false")
                .outputFile(output)
                .build()) {
            load = KillUnderLoad.builder("CounterCrashIT")
                    .process(app, base, 200)
                    // half the additions through the endpoint served on the event loop, which waits for nothing
                    .clients(CLIENTS, () -> random -> add(base + (random.nextBoolean() ? "/add" : "/add-async"),
                            1 + random.nextInt(1000), answered))
                    .kills(KILLS)
                    .killAfterAnswers(50, 450)
                    .killWhileRecoveringEvery(3)
                    .run();
            finalValue = Long.parseLong(get(base));
        }

        List<ConsumerRecord<byte[], byte[]>> log = TopicReader.readAll(bootstrap, prefix + "Counter");
        List<Long> amounts = new ArrayList<>();
        Set<String> callIds = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : log) {
            String value = TopicReader.value(record);
            amounts.add(Long.parseLong(value.substring(1, value.length() - 1)));
            assertThat(callIds.add(TopicReader.header(record, "call-id"))).as("call id recorded once").isTrue();
        }
        long total = amounts.stream().mapToLong(Long::longValue).sum();
        System.out.printf("CounterCrashIT: %d kills, %d answered, %d unanswered, %d recorded%n", KILLS, answered.size(),
                load.unanswered(), log.size());

        // the state is exactly the sum of the recorded calls: answered ones, and unanswered ones that were recorded
        assertThat(finalValue).isEqualTo(total);
        // every answer is the running total at its own record: applied once, in log order, never twice
        Map<Long, Integer> recordByRunningTotal = new java.util.HashMap<>();
        long running = 0;
        for (int i = 0; i < amounts.size(); i++) {
            running += amounts.get(i);
            recordByRunningTotal.put(running, i);
        }
        Set<Integer> matched = new HashSet<>();
        for (long[] answer : answered) {
            Integer index = recordByRunningTotal.get(answer[1]);
            assertThat(index).as("answer %d for +%d is a running total of the log", answer[1], answer[0]).isNotNull();
            assertThat(amounts.get(index)).as("record of answer %d", answer[1]).isEqualTo(answer[0]);
            assertThat(matched.add(index)).as("answer %d matches one record only", answer[1]).isTrue();
        }
        assertThat(answered.size()).isGreaterThan(KILLS * 50);
        assertThat(answered).as("answered through the blocking endpoint").anyMatch(answer -> answer[2] == 0);
        assertThat(answered).as("answered through the event loop's").anyMatch(answer -> answer[2] == 1);
    }

    // whether the addition was answered; an answer is kept with its amount, and whether the event loop's endpoint gave it
    private boolean add(String url, long amount, Queue<long[]> answered) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Long.toString(amount)))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return false;
            }
            answered.add(new long[]{amount, Long.parseLong(response.body()), url.endsWith("-async") ? 1 : 0});
            return true;
        } catch (IOException e) {
            // the process was killed mid-request, or is restarting: the call may or may not be in the log
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

}
