package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Two processes own the same immortal: the newer fences the older, which can then neither commit nor take calls,
 * and the newer has every call either of them recorded.
 */
class FencingIT {

    @Test
    void theNewerInstanceFencesTheOlder() throws Exception {
        String prefix = TestApp.newPrefix("fencing");
        try (TestApp older = TestApp.start(prefix, Map.of())) {
            long expected = 0;
            for (int i = 1; i <= 5; i++) {
                expected += i;
                assertThat(older.post("/tally/add/" + i).body()).isEqualTo(Long.toString(expected));
            }
            try (TestApp newer = TestApp.start(prefix, Map.of())) {
                newer.process.awaitLogLine("Immortal Tally is live", TestApp.READY);

                // the older instance notices at its next commit; calls it recorded in the meantime are in the log
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                HttpResponse<String> response = older.post("/tally/add/100");
                while (response.statusCode() != 503 && System.nanoTime() < deadline) {
                    assertThat(response.statusCode()).isIn(200, 504);
                    response = older.post("/tally/add/100");
                }
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.body()).contains("fenced by a newer instance");
                assertThat(older.process.awaitLogLine("was fenced", TestApp.READY))
                        .contains("Immortal Tally was fenced by a newer instance with transactional id " + prefix
                                + "Tally-0");

                long recordedByOlder = Long.parseLong(
                        newer.get("/tally").body().replaceAll(".*\"total\":(\\d+).*", "$1")) - expected;
                assertThat(recordedByOlder % 100).isZero();
                assertThat(newer.post("/tally/add/1").body()).isEqualTo(Long.toString(expected + recordedByOlder + 1));
            }
        }
    }
}
