package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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

    private HttpResponse<String> post(TestApp app, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.base + path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
