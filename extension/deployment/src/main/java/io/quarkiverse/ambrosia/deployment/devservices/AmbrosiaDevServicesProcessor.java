package io.quarkiverse.ambrosia.deployment.devservices;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.jboss.logging.Logger;

import io.quarkus.deployment.IsDevServicesSupportedByLaunchMode;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.BuildSteps;
import io.quarkus.deployment.builditem.DevServicesResultBuildItem;
import io.quarkus.deployment.builditem.LaunchModeBuildItem;
import io.quarkus.deployment.builditem.Startable;
import io.quarkus.deployment.dev.devservices.DevServicesConfig;
import io.quarkus.deployment.pkg.builditem.OutputTargetBuildItem;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Starts an embedded Kafka broker in dev and test mode when the application has no {@code kafka.bootstrap.servers}.
 * <p>
 * quarkus-kafka-client's own (container) Dev Service is disabled by a default shipped in the runtime module's
 * {@code META-INF/microprofile-config.properties}: it decides at build time from configuration alone, before any
 * Dev Service has started, so there is no build item through which this processor could ask it to stand aside.
 */
@BuildSteps(onlyIf = {IsDevServicesSupportedByLaunchMode.class, DevServicesConfig.Enabled.class})
public class AmbrosiaDevServicesProcessor {

    static final String FEATURE = "ambrosia";
    static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    private static final Logger LOG = Logger.getLogger(AmbrosiaDevServicesProcessor.class);

    /**
     * In dev mode Quarkus asks Testcontainers whether Docker works for every Dev Service it lists, on each start and
     * live reload; without Docker, Testcontainers then logs an error that would wrongly suggest our broker needs it.
     * Held strongly: java.util.logging may otherwise forget the level.
     */
    private static final List<java.util.logging.Logger> DOCKER_PROBE_LOGGERS = List.of(
            java.util.logging.Logger.getLogger("org.testcontainers.dockerclient"),
            java.util.logging.Logger.getLogger("org.testcontainers.DockerClientFactory"));

    @BuildStep
    DevServicesResultBuildItem startEmbeddedKafka(AmbrosiaDevServicesConfig config, LaunchModeBuildItem launchMode,
            OutputTargetBuildItem outputTarget) {
        if (!config.enabled()) {
            LOG.debug("Not starting the embedded Kafka broker: quarkus.ambrosia.devservices.enabled is false");
            return null;
        }
        if (ConfigUtils.isPropertyNonEmpty(KAFKA_BOOTSTRAP_SERVERS)) {
            LOG.debug("Not starting the embedded Kafka broker: kafka.bootstrap.servers is configured");
            return null;
        }
        boolean test = launchMode.getLaunchMode() == LaunchMode.TEST;
        if (!test) {
            silenceDockerProbe();
        }
        Path logDir = config.logDir().orElseGet(() -> outputTarget.getOutputDirectory().resolve("ambrosia-kafka"));
        int port = config.port().orElse(0);
        return DevServicesResultBuildItem.owned()
                .feature(FEATURE)
                .description("Embedded Kafka broker (KRaft, in the application's JVM)")
                // Compared between live reloads: the broker is kept as long as this configuration does not change.
                .serviceConfig(config)
                .startable(() -> test
                        ? EmbeddedKafkaDevService.shared()
                        : EmbeddedKafkaDevService.persistent(logDir.toAbsolutePath(), port))
                .postStartHook(service -> LOG.infof("Dev Services for Ambrosia started an embedded Kafka %s",
                        service.describe()))
                .configProvider(Map.of(KAFKA_BOOTSTRAP_SERVERS, Startable::getConnectionInfo))
                .build();
    }

    private static void silenceDockerProbe() {
        for (java.util.logging.Logger logger : DOCKER_PROBE_LOGGERS) {
            // A level the developer configured wins.
            if (logger.getLevel() == null) {
                logger.setLevel(Level.OFF);
            }
        }
    }
}
