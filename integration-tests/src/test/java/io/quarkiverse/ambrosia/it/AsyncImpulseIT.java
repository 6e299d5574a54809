package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * An accepted impulse's outcome can be fetched after the application was killed and restarted between the 202 and
 * the fetch.
 */
class AsyncImpulseIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theOutcomeOfAnAcceptedImpulseSurvivesACrash() throws Exception {
        try (TestApp app = TestApp.start(TestApp.newPrefix("async"), Map.of())) {
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(app.base + "/ledger/first"))
                    .header("Prefer", "respond-async").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).isEqualTo(202);
            String location = accepted.headers().firstValue("Location").orElseThrow();

            app.process.kill9();
            app.restart();

            HttpResponse<String> outcome = http.send(HttpRequest.newBuilder(URI.create(location))
                    .header("Prefer", "wait=30").timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(outcome.statusCode()).isEqualTo(200);
            assertThat(outcome.body()).isEqualTo("1");
            assertThat(app.get("/ledger").body()).isEqualTo("[\"first\"]");
        }
    }
}
