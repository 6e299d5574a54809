package io.quarkiverse.ambrosia.deployment.devservices;

import java.nio.file.Path;

import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkus.deployment.builditem.Startable;

/**
 * The embedded broker as a Dev Service: either the JVM-wide test broker, or a persistent dev-mode broker owned by
 * this instance.
 */
final class EmbeddedKafkaDevService implements Startable {

    private final Path logDir;
    private final int port;
    private EmbeddedKafkaBroker broker;
    private String bootstrapServers;

    private EmbeddedKafkaDevService(Path logDir, int port) {
        this.logDir = logDir;
        this.port = port;
    }

    /**
     * The broker shared by every test of the JVM. Closing the dev service leaves it running: the next test
     * application uses it, and a JVM shutdown hook stops it.
     */
    static EmbeddedKafkaDevService shared() {
        return new EmbeddedKafkaDevService(null, 0);
    }

    /**
     * A broker keeping its data in {@code logDir}, stopped when the dev service is closed.
     */
    static EmbeddedKafkaDevService persistent(Path logDir, int port) {
        return new EmbeddedKafkaDevService(logDir, port);
    }

    @Override
    public void start() {
        if (logDir == null) {
            bootstrapServers = EmbeddedKafkaBroker.sharedBootstrapServers();
        } else {
            broker = EmbeddedKafkaBroker.builder().logDir(logDir).port(port).start();
            bootstrapServers = broker.bootstrapServers();
        }
    }

    @Override
    public String getConnectionInfo() {
        return bootstrapServers;
    }

    @Override
    public String getContainerId() {
        return null;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    String describe() {
        return logDir == null
                ? "shared test broker on " + bootstrapServers
                : "broker on " + bootstrapServers + " with data in " + logDir;
    }
}
