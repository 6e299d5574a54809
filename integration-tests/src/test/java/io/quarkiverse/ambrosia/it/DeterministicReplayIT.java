package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A replay reaches the same state: handler exceptions happen again at the same records, and the time, randomness and
 * identifiers a handler drew are drawn again.
 */
class DeterministicReplayIT {

    @Test
    void replayRepeatsExceptionsAndDeterministicValues() throws Exception {
        try (TestApp app = TestApp.start(TestApp.newPrefix("determinism"), Map.of())) {
            assertThat(app.post("/tally/add-positive/5").body()).isEqualTo("5");
            HttpResponse<String> refused = app.post("/tally/add-positive/-1");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).isEqualTo("not positive: -1");
            assertThat(app.post("/tally/add-positive/3").body()).isEqualTo("8");
            for (int i = 0; i < 3; i++) {
                assertThat(app.post("/tally/stamp").statusCode()).isEqualTo(200);
            }
            String before = app.get("/tally").body();
            assertThat(before).contains("\"total\":8", "\"attempts\":3");

            app.process.kill9();
            app.restart();

            assertThat(app.process.awaitLogLine("Immortal Tally: recovering", TestApp.READY))
                    .contains("recovering from the initial state; replaying 6 records");
            assertThat(app.get("/tally").body()).isEqualTo(before);
            assertThat(app.get("/q/health/ready").body()).contains("\"Ambrosia immortals\"",
                    "\"Tally\": \"live (processed up to offset 5)\"",
                    "\"Archive\": \"live\"");
        }
    }
}
