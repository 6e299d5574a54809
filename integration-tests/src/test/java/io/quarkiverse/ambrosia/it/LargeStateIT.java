package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A 100 MB state is checkpointed in chunks and restored whole.
 */
class LargeStateIT {

    @Test
    void aHundredMegabyteStateSurvivesACrash() throws Exception {
        String prefix = TestApp.newPrefix("large");
        try (TestApp app = TestApp.start(prefix, Map.of("quarkus.ambrosia.checkpoint.interval-records", "4",
                "quarkus.log.category.\"io.quarkiverse.ambrosia\".level", "DEBUG"))) {
            for (int i = 1; i <= 4; i++) {
                assertThat(app.post("/archive/grow/25").body()).isEqualTo(Integer.toString(25 * i));
            }
            String written = app.process.awaitLogLine("Immortal Archive: checkpoint", TestApp.READY);
            assertThat(written).contains("at log offset 4");
            String digest = app.get("/archive/digest").body();
            assertThat(digest).startsWith("100:");

            app.process.kill9();
            app.restart();

            assertThat(app.process.awaitLogLine("Immortal Archive: recovering", TestApp.READY))
                    .containsPattern("at log offset 4 \\(1\\d{8} bytes, codec json\\); replaying 0 records");
            assertThat(app.get("/archive/digest").body()).isEqualTo(digest);
        }
    }
}
