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
 * Idempotency keys survive a crash: the table of keyed outcomes is checkpointed with the state and rebuilt by replay,
 * so a retry after a restart gets the original answer and nothing runs twice.
 */
class IdempotencyIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRetryAfterACrashGetsTheOriginalAnswer() throws Exception {
        try (TestApp app = TestApp.start(TestApp.newPrefix("idempotency"),
                Map.of("quarkus.ambrosia.checkpoint.interval-records", "2"))) {
            assertThat(add(app, 5, "key-a").body()).isEqualTo("5");
            assertThat(add(app, 7, "key-b").body()).isEqualTo("12");
            assertThat(add(app, 1, "key-c").body()).isEqualTo("13");

            app.process.kill9();
            app.restart();

            // key-a and key-b come back from the checkpoint, key-c from the replay of the record after it
            assertThat(app.process.awaitLogLine("Immortal Tally: recovering", TestApp.READY))
                    .contains("at log offset 2").contains("replaying 1 records");
            assertThat(add(app, 5, "key-a").body()).isEqualTo("5");
            assertThat(add(app, 7, "key-b").body()).isEqualTo("12");
            assertThat(add(app, 1, "key-c").body()).isEqualTo("13");
            HttpResponse<String> reused = add(app, 6, "key-a");
            assertThat(reused.statusCode()).isEqualTo(422);
            assertThat(app.get("/tally").body()).contains("\"total\":13");
            assertThat(add(app, 2, "key-d").body()).isEqualTo("15");
        }
    }

    private HttpResponse<String> add(TestApp app, long n, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.base + "/tally/add/" + n)).header("Idempotency-Key", key)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
