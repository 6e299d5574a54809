package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;

/**
 * With the broker down, impulses are refused with 503 and Retry-After, never a 2xx; when it is back the application
 * serves again without a restart, and a call retried with its key runs once.
 */
class BrokerOutageIT {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void anOutageIsAnsweredWith503AndTheServiceResumes() throws Exception {
        Path dir = Files.createTempDirectory("ambrosia-outage-");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(dir).start();
        int port = broker.port();
        String prefix = TestApp.newPrefix("outage");
        try (TestApp app = TestApp.start(prefix, broker.bootstrapServers(),
                Map.of("quarkus.ambrosia.append-timeout", "2s"))) {
            assertThat(post(app, "/ledger/before", null).statusCode()).isEqualTo(200);

            broker.close();
            HttpResponse<String> refused = post(app, "/ledger/during", "key-during");
            assertThat(refused.statusCode()).as(refused.headers().map() + " " + refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).as(refused.headers().map() + " " + refused.body())
                    .hasValue("1");

            broker = EmbeddedKafkaBroker.builder().logDir(dir).port(port).start();
            // the client retries with its key until answered: whether or not the refused attempt reached the log, the
            // entry is appended once
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            HttpResponse<String> retried = post(app, "/ledger/during", "key-during");
            while (retried.statusCode() != 200) {
                assertThat(retried.statusCode()).as(retried.body()).isIn(503, 504);
                assertThat(System.nanoTime()).as("served again in time").isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
                retried = post(app, "/ledger/during", "key-during");
            }
            assertThat(post(app, "/ledger/after", null).statusCode()).isEqualTo(200);
            assertThat(app.get("/ledger").body()).isEqualTo("[\"before\",\"during\",\"after\"]");
            assertThat(TopicReader.readAll(broker.bootstrapServers(), prefix + "Ledger"))
                    .extracting(TopicReader::value).contains("[\"before\"]", "[\"after\"]");
        } finally {
            broker.close();
        }
    }

    /**
     * Once the application has lost the broker, a call is refused at once (nothing sent, so certainly not recorded)
     * rather than after append-timeout, and calls answered on the event loop do not hold it: reads served by the same
     * instance are answered meanwhile. One event loop serves every connection here, so a blocked one would stall all.
     */
    @Test
    void duringAnOutageCallsAreRefusedAtOnceAndReadsAreServed() throws Exception {
        Path dir = Files.createTempDirectory("ambrosia-outage-");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(dir).start();
        int port = broker.port();
        String prefix = TestApp.newPrefix("outage-loop");
        // far above every client timeout below: an answer that comes in time did not wait for it
        Duration appendTimeout = Duration.ofSeconds(60);
        Duration soon = Duration.ofSeconds(5);
        try (TestApp app = TestApp.start(prefix, broker.bootstrapServers(),
                Map.of("quarkus.ambrosia.append-timeout", appendTimeout.toSeconds() + "s", "quarkus.http.io-threads",
                        "1"))) {
            assertThat(post(app, "/ledger/before", null).statusCode()).isEqualTo(200);
            broker.close();

            // calls sent before the producer noticed the outage wait for their append (outcome-unknown in the end);
            // once it has, a call is refused at once
            List<String> unavailable = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; unavailable.isEmpty(); i++) {
                assertThat(System.nanoTime()).as("a call refused at once during the outage").isLessThan(deadline);
                String key = "probe-" + i;
                HttpResponse<String> answer = postWithin(app, "/ledger/probe-" + i, key, soon);
                if (answer != null) {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                    assertThat(answer.body()).contains("urn:quarkus-ambrosia:problem:unavailable");
                    unavailable.add(key);
                }
            }

            List<CompletableFuture<HttpResponse<String>>> appends = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                appends.add(http.sendAsync(request(app, "/ledger/async/loop-" + i, "loop-" + i, appendTimeout.plusSeconds(30))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> read = http.send(request(app, "/ledger", null, soon).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
                assertThat(read.body()).isEqualTo("[\"before\"]");
            }
            for (int i = 0; i < appends.size(); i++) {
                HttpResponse<String> answer = appends.get(i).get(soon.toSeconds(), TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
                assertThat(answer.body()).contains("urn:quarkus-ambrosia:problem:unavailable");
                unavailable.add("loop-" + i);
            }

            broker = EmbeddedKafkaBroker.builder().logDir(dir).port(port).start();
            List<String> recordedKeys = TopicReader.readAll(broker.bootstrapServers(), prefix + "Ledger").stream()
                    .map(record -> TopicReader.header(record, "idempotency-key")).toList();
            assertThat(recordedKeys).as("keys of calls refused as unavailable").doesNotContainAnyElementsOf(unavailable);
        } finally {
            broker.close();
        }
    }

    /**
     * @return the answer, or {@code null} if none came within {@code timeout}
     */
    private HttpResponse<String> postWithin(TestApp app, String path, String key, Duration timeout) throws Exception {
        try {
            return http.send(request(app, path, key, timeout).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return null;
        }
    }

    private static HttpRequest.Builder request(TestApp app, String path, String key, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.base + path)).timeout(timeout);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request;
    }

    private HttpResponse<String> post(TestApp app, String path, String key) throws Exception {
        return http.send(request(app, path, key, Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
