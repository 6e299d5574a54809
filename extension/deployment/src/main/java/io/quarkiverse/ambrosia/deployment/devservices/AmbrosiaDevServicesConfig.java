package io.quarkiverse.ambrosia.deployment.devservices;

import java.nio.file.Path;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Dev Services for Ambrosia: an embedded Kafka broker started in dev and test mode, without containers.
 */
@ConfigMapping(prefix = "quarkus.ambrosia.devservices")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface AmbrosiaDevServicesConfig {

    /**
     * Whether to start an embedded Kafka broker (single-node KRaft, inside the application's JVM) in dev and test
     * mode. It only starts when {@code kafka.bootstrap.servers} is not configured; the application is then pointed at
     * it.
     * <p>
     * While it is enabled, the container-based Kafka Dev Service of quarkus-kafka-client is disabled by default
     * ({@code quarkus.kafka.devservices.enabled=false}). To use that one instead, set this property to {@code false} and
     * {@code quarkus.kafka.devservices.enabled} to {@code true}.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The port the embedded broker listens on in dev mode. By default a free port is chosen, preferring the one used
     * the last time with the same log directory, so that clients outside the application can keep their address.
     * <p>
     * In test mode, all tests of a JVM share one broker on a free port and this property is ignored.
     */
    Optional<Integer> port();

    /**
     * The directory where the embedded broker keeps its data in dev mode, so that immortals' logs and checkpoints
     * survive restarts of dev mode. Defaults to {@code ambrosia-kafka} in the build output directory (e.g.
     * {@code target/ambrosia-kafka}); delete it to start from an empty broker.
     * <p>
     * In test mode the shared broker uses a temporary directory and this property is ignored.
     */
    Optional<Path> logDir();
}
