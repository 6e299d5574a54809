package io.quarkiverse.ambrosia.deployment.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;

/**
 * A state that cannot be encoded (a {@code null} map key) costs checkpoints, not processing: each failed attempt is
 * an error naming the offset and the field, the wellness check goes down and a metric counts it, the records are still
 * committed and answered, nothing recovers or replays, and once the state encodes again the next checkpoint is taken
 * and the signals clear.
 */
public class UnencodableStateTest {

    private static final String PREFIX = "unencodable-test.";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals(PREFIX, Vault.class)
            .overrideConfigKey("quarkus.ambrosia.checkpoint.interval-records", "2")
            .overrideConfigKey("quarkus.ambrosia.checkpoint.interval", "1h")
            .overrideConfigKey("quarkus.ambrosia.log.trim", "false")
            .overrideConfigKey("quarkus.micrometer.export.json.enabled", "true")
            .setLogRecordPredicate(record -> record.getLoggerName().startsWith("io.quarkiverse.ambrosia")
                    && record.getLevel().intValue() >= Level.INFO.intValue())
            .assertLogRecords(UnencodableStateTest::checkLog);

    @Inject
    Vault vault;

    @Inject
    MeterRegistry meters;

    @Test
    void checkpointsFailLoudlyWhileProcessingGoesOn() {
        // offsets 0 and 1: a checkpoint at offset 2
        vault.deposit("alice", 1);
        vault.deposit("bob", 1);
        await("the first checkpoint", () -> manifests().size() == 1);
        // offsets 2 and 3: the checkpoint at offset 4 cannot be written
        vault.deposit(null, 5);
        vault.deposit("alice", 1);
        await("a failed checkpoint", () -> failedCheckpoints() == 1);

        RestAssured.get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'Ambrosia checkpoints' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Ambrosia checkpoints' }.data.Vault",
                        containsString("checkpoints failing since log offset 4 (failed attempts: 1, the last at offset 4)"
                                + " at state field balances: "))
                .body("checks.find { it.name == 'Ambrosia checkpoints' }.data.'Vault.failed-checkpoints'", equalTo(1));
        // the immortal serves: readiness stays up, and says why checkpoints are missing
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Ambrosia immortals' }.data.Vault",
                        containsString("live; checkpoints failing since log offset 4"));
        assertThat(meters.get("ambrosia.records.since.checkpoint").tag("immortal", "Vault").gauge().value())
                .isEqualTo(2.0);

        // offsets 4 and 5: the next attempt, one interval later, fails too; calls are answered all along
        assertThat(vault.deposit("carol", 1)).isEqualTo(1);
        assertThat(vault.deposit("carol", 1)).isEqualTo(2);
        await("a second failed checkpoint", () -> failedCheckpoints() == 2);
        assertThat(vault.total()).isEqualTo(10);

        // offset 6 removes the bad key; the third attempt waits two intervals (4 records): offsets 6 to 9
        vault.remove(null);
        for (int i = 0; i < 3; i++) {
            vault.deposit("dave", 1);
        }
        await("a checkpoint once the state encodes", () -> manifests().size() == 2);
        assertThat(TopicReader.header(manifests().get(1), "checkpoint-id")).isNotNull();
        await("the wellness check up again", () -> RestAssured.get("/q/health/well").statusCode() == 200);
        RestAssured.get("/q/health/well").then()
                .body("checks.find { it.name == 'Ambrosia checkpoints' }.data.Vault", equalTo("ok"))
                .body("checks.find { it.name == 'Ambrosia checkpoints' }.data.'Vault.failed-checkpoints'", equalTo(2))
                .body("checks.find { it.name == 'Ambrosia checkpoints' }.data.'Vault.records-since-checkpoint'",
                        equalTo(0));
        assertThat(failedCheckpoints()).isEqualTo(2);
        assertThat(vault.total()).isEqualTo(8);
    }

    private static void checkLog(List<LogRecord> records) {
        List<String> lines = records.stream().map(r -> String.format(r.getMessage(), r.getParameters())).toList();
        List<String> errors = records.stream().filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(r -> String.format(r.getMessage(), r.getParameters())).toList();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith("Immortal Vault: the checkpoint at log offset 4 of " + PREFIX
                + "Vault-0 cannot be written: its state does not encode at field balances (")
                .contains("a recovery replays from log offset 2")
                .contains("Failed attempt 1 since log offset 4; the next comes after 2 records or PT1H");
        assertThat(errors.get(1)).startsWith("Immortal Vault: the checkpoint at log offset 6 of ")
                .contains("Failed attempt 2 since log offset 4; the next comes after 4 records or PT2H");
        assertThat(records.stream().filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogRecord::getThrown))
                .allSatisfy(thrown -> assertThat(thrown).isNotNull());
        assertThat(lines).anyMatch(line -> line.startsWith("Immortal Vault: checkpoint ")
                && line.endsWith(" at log offset 10 of " + PREFIX + "Vault-0 written; checkpoints work again after 2"
                        + " failed attempts since log offset 4"));
        // processing went on: no recovery after the first one
        assertThat(lines).noneMatch(line -> line.contains("recovering again"));
        assertThat(lines).filteredOn(line -> line.startsWith("Immortal Vault: recovering")).hasSize(1);
    }

    private double failedCheckpoints() {
        return meters.get("ambrosia.checkpoint.failed").tag("immortal", "Vault").functionCounter().count();
    }

    private static List<ConsumerRecord<byte[], byte[]>> manifests() {
        return TopicReader.readAll(EmbeddedKafkaBroker.sharedBootstrapServers(), PREFIX + "Vault.checkpoints").stream()
                .filter(r -> "checkpoint-manifest".equals(TopicReader.header(r, "kind"))).toList();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            // nothing announces a checkpoint to the test but the topic and the meter
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
