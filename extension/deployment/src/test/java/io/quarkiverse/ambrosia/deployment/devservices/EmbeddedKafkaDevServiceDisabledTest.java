package io.quarkiverse.ambrosia.deployment.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.devservices.crossclassloader.runtime.RunningDevServicesRegistry;
import io.quarkus.devservices.crossclassloader.runtime.RunningService;
import io.quarkus.test.QuarkusUnitTest;

class EmbeddedKafkaDevServiceDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(BootstrapServersBean.class))
            // Other builds may share this machine: never collide on the fixed test port.
            .overrideConfigKey("quarkus.http.test-port", "0")
            .overrideConfigKey("quarkus.ambrosia.devservices.enabled", "false")
            .overrideConfigKey("kafka.bootstrap.servers", "127.0.0.1:1");

    @Inject
    BootstrapServersBean bean;

    @Test
    void noBrokerIsStartedAndTheConfiguredAddressIsKept() {
        assertThat(RunningDevServicesRegistry.INSTANCE.getAllRunningServices("TEST"))
                .extracting(RunningService::feature)
                .doesNotContain(AmbrosiaDevServicesProcessor.FEATURE);
        assertThat(bean.bootstrapServers()).isEqualTo("127.0.0.1:1");
    }
}
