package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * An instance that stops (SIGTERM) commits what its tasks ran since their last commit before it lets the partitions
 * go: the next owner starts where it ended. Commits are made rare here (an hour apart, no checkpoint) so that only the
 * stop can have made the last one.
 */
class GracefulStopIT {

    @Test
    void aStoppingInstanceCommitsWhatItRan() throws Exception {
        String prefix = TestApp.newPrefix("stop");
        TopicPartition log = new TopicPartition(prefix + "Tally", 0);
        try (TestApp app = TestApp.start(prefix, Map.of("quarkus.ambrosia.dispatcher.commit-interval", "1h",
                "quarkus.ambrosia.checkpoint.interval", "1h", "quarkus.ambrosia.checkpoint.interval-records", "1000000"));
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestApp.bootstrapServers()))) {
            for (int i = 1; i <= 5; i++) {
                assertThat(app.post("/tally/add/" + i).statusCode()).isEqualTo(200);
            }
            assertThat(committed(admin, prefix, log)).as("committed while running").isNotEqualTo(5);

            app.process.stop();

            assertThat(committed(admin, prefix, log)).as("committed once stopped").isEqualTo(5);
        }
    }

    private static long committed(Admin admin, String prefix, TopicPartition log) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(prefix + "Tally").partitionsToOffsetAndMetadata().get()
                .get(log);
        return offset == null ? -1 : offset.offset();
    }
}
