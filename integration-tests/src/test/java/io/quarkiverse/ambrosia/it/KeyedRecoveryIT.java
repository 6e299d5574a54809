package io.quarkiverse.ambrosia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.quarkiverse.ambrosia.testing.TopicReader;

/**
 * A keyed immortal after kill -9: every partition recovers its keys from its own newest checkpoint plus the records
 * after it, each key gets back exactly its own state, transfers between keys of different partitions are applied once
 * on both sides, and retried idempotency keys are not applied again.
 */
class KeyedRecoveryIT {

    private static final int KEYS = 40;
    private static final int PARTITIONS = 6;

    @Test
    void everyKeyRecoversItsOwnStateAcrossPartitions() throws Exception {
        String prefix = TestApp.newPrefix("keyed");
        try (TestApp app = TestApp.start(prefix, Map.of("quarkus.ambrosia.checkpoint.interval-records", "7",
                "quarkus.ambrosia.log.trim", "false"))) {
            Map<String, Long> balances = new HashMap<>();
            Map<String, Long> operations = new HashMap<>();
            Map<String, String> idempotencyKeys = new HashMap<>();
            SplittableRandom random = new SplittableRandom(7);
            for (int round = 0; round < 3; round++) {
                for (int k = 0; k < KEYS; k++) {
                    String key = "acct-" + k;
                    long amount = 1 + random.nextInt(100);
                    String idempotencyKey = UUID.randomUUID().toString();
                    long expected = balances.merge(key, amount, Long::sum);
                    operations.merge(key, 1L, Long::sum);
                    assertThat(app.post("/keyed/" + key + "/deposit/" + amount,
                            Map.of("Idempotency-Key", idempotencyKey)).body()).isEqualTo(Long.toString(expected));
                    idempotencyKeys.put(key, idempotencyKey + "/" + amount + "/" + expected);
                }
            }
            // transfers between keys, most of them between two partitions
            for (int t = 0; t < 30; t++) {
                String from = "acct-" + random.nextInt(KEYS);
                String to = "acct-" + random.nextInt(KEYS);
                if (from.equals(to)) {
                    continue;
                }
                long amount = 1 + random.nextInt(20);
                long left = balances.get(from) - amount;
                assertThat(app.post("/keyed/" + from + "/transfer/" + to + "/" + amount).body())
                        .isEqualTo(Long.toString(left));
                balances.put(from, left);
                balances.merge(to, amount, Long::sum);
                operations.merge(from, 1L, Long::sum);
                operations.merge(to, 1L, Long::sum);
            }
            int withCheckpoints = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                List<ConsumerRecord<byte[], byte[]>> checkpoints = TopicReader.readAll(TestApp.bootstrapServers(),
                        prefix + "Accounts.checkpoints", p);
                if (checkpoints.stream().anyMatch(r -> "checkpoint-manifest".equals(TopicReader.header(r, "kind")))) {
                    withCheckpoints++;
                }
            }
            assertThat(withCheckpoints).as("partitions with a checkpoint").isGreaterThan(1);

            app.process.kill9();
            app.restart();

            assertThat(app.process.awaitLogLine("Immortal Accounts: recovering from checkpoint", TestApp.READY))
                    .contains("codec keyed-json, ");
            for (int k = 0; k < KEYS; k++) {
                String key = "acct-" + k;
                assertThat(app.get("/keyed/" + key).body()).as(key)
                        .isEqualTo(balances.get(key) + "/" + operations.get(key));
            }
            // a retry of the last deposit of each key after the crash gets the first answer and changes nothing
            for (int k = 0; k < KEYS; k += 5) {
                String key = "acct-" + k;
                String[] last = idempotencyKeys.get(key).split("/");
                assertThat(app.post("/keyed/" + key + "/deposit/" + last[1], Map.of("Idempotency-Key", last[0])).body())
                        .isEqualTo(last[2]);
                assertThat(app.get("/keyed/" + key).body()).isEqualTo(balances.get(key) + "/" + operations.get(key));
            }
            long total = 0;
            for (int k = 0; k < KEYS; k++) {
                total += Long.parseLong(app.get("/keyed/acct-" + k).body().split("/")[0]);
            }
            assertThat(total).as("money is conserved").isEqualTo(balances.values().stream().mapToLong(Long::longValue).sum());
        }
    }
}
