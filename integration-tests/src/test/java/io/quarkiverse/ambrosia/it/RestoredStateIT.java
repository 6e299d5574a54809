package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A restore after kill -9 gives the state the collection types it started with: an immortal that answers in its sorted
 * map's order answers after the restore as it did before.
 */
class RestoredStateIT {

    @Test
    void aSortedMapIsStillSortedAfterARestore() throws Exception {
        String prefix = TestApp.newPrefix("restored");
        try (TestApp app = TestApp.start(prefix, Map.of("quarkus.ambrosia.checkpoint.interval-records", "3",
                "quarkus.ambrosia.log.trim", "false"))) {
            // a checkpoint at offset 3 holds carol, bob and erin; alice and dave come after it
            List<String> before = List.of(add(app, "carol"), add(app, "bob"), add(app, "erin"), add(app, "alice"),
                    add(app, "dave"));
            assertThat(before).containsExactly("carol", "bob,carol", "bob,carol,erin", "alice,bob,carol,erin",
                    "alice,bob,carol,dave,erin");

            app.process.kill9();
            app.restart();

            assertThat(app.process.awaitLogLine("Immortal Ranking: recovering", TestApp.READY))
                    .contains("at log offset 3").contains("replaying 2 records");
            // the replay put alice and dave into the restored map: in order only if it is a TreeMap again
            assertThat(app.get("/ranking").body()).isEqualTo(before.get(before.size() - 1));
            assertThat(add(app, "frank")).isEqualTo("alice,bob,carol,dave,erin,frank");
        }
    }

    private static String add(TestApp app, String name) {
        var response = app.post("/ranking/" + name);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
