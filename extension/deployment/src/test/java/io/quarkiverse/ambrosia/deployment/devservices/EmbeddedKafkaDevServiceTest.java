package io.quarkiverse.ambrosia.deployment.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkus.devservices.crossclassloader.runtime.RunningDevServicesRegistry;
import io.quarkus.devservices.crossclassloader.runtime.RunningService;
import io.quarkus.test.QuarkusUnitTest;

class EmbeddedKafkaDevServiceTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(BootstrapServersBean.class))
            // Other builds may share this machine: never collide on the fixed test port.
            .overrideConfigKey("quarkus.http.test-port", "0")
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.WARNING.intValue())
            // Without Docker, quarkus-kafka-client's Dev Service warns "Docker isn't working": it must not even try.
            .assertLogRecords(records -> assertThat(records)
                    .extracting(EmbeddedKafkaDevServiceTest::describe)
                    .noneMatch(message -> message.toLowerCase().contains("docker"))
                    .noneMatch(message -> message.contains("DevServicesKafkaProcessor")));

    @Inject
    BootstrapServersBean bean;

    @Test
    void applicationIsPointedAtTheEmbeddedBroker() throws Exception {
        String bootstrapServers = bean.bootstrapServers();

        assertThat(bootstrapServers)
                .isEqualTo(System.getProperty(EmbeddedKafkaBroker.SHARED_BOOTSTRAP_SERVERS_PROPERTY));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void onlyAmbrosiaProvidesKafka() {
        assertThat(RunningDevServicesRegistry.INSTANCE.getAllRunningServices("TEST"))
                .extracting(RunningService::feature)
                .contains(AmbrosiaDevServicesProcessor.FEATURE)
                .doesNotContain("kafka-client");
    }

    private static String describe(LogRecord record) {
        return record.getLoggerName() + ": " + record.getMessage();
    }
}
