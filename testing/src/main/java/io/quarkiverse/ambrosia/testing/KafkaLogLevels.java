package io.quarkiverse.ambrosia.testing;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import org.jboss.logging.Logger;

/**
 * Turns the embedded broker's logging down to warnings.
 * <p>
 * Kafka logs through SLF4J. Inside Quarkus (dev mode, {@code QuarkusUnitTest}, {@code @QuarkusTest}) SLF4J is bound
 * to the JBoss LogManager, which is also the {@code java.util.logging} manager, so the levels set here through
 * {@code java.util.logging} apply; elsewhere they are harmless.
 */
final class KafkaLogLevels {

    /**
     * Categories a broker logs to at INFO, sometimes hundreds of lines per start. The client categories are the ones
     * quarkus-kafka-client also turns down in applications.
     */
    static final List<String> BROKER_CATEGORIES = List.of(
            "kafka",
            "state.change.logger",
            "org.apache.kafka.server",
            "org.apache.kafka.raft",
            "org.apache.kafka.image",
            "org.apache.kafka.metadata",
            "org.apache.kafka.storage",
            "org.apache.kafka.coordinator",
            "org.apache.kafka.queue",
            "org.apache.kafka.snapshot",
            "org.apache.kafka.security",
            "org.apache.kafka.network",
            "org.apache.kafka.clients",
            "org.apache.kafka.common.utils",
            "org.apache.kafka.common.metrics",
            "org.apache.kafka.common.config",
            "org.apache.kafka.common.telemetry");

    /**
     * The controller logs every activation (each start) as a warning; for a single embedded node its warnings are
     * noise to the developer.
     */
    static final List<String> CONTROLLER_CATEGORIES = List.of("org.apache.kafka.controller");

    // java.util.logging keeps loggers only weakly: without these references a configured level could be lost.
    private static final List<java.util.logging.Logger> CONFIGURED = new ArrayList<>();

    private KafkaLogLevels() {
    }

    static synchronized void quiet() {
        if (!CONFIGURED.isEmpty()) {
            return;
        }
        for (String category : BROKER_CATEGORIES) {
            setIfUnset(category, Level.WARNING);
        }
        for (String category : CONTROLLER_CATEGORIES) {
            setIfUnset(category, Level.SEVERE);
        }
    }

    private static void setIfUnset(String category, Level level) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(category);
        // A level set by the user (logging configuration, Quarkus categories) wins.
        if (logger.getLevel() == null) {
            logger.setLevel(level);
        }
        CONFIGURED.add(logger);
    }

    /**
     * @return a stream for Kafka tools that print progress to {@code System.out}; lines go to the debug log instead
     */
    static PrintStream debugStream() {
        Logger log = Logger.getLogger(EmbeddedKafkaBroker.class);
        return new PrintStream(new OutputStream() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(int b) {
                if (b == '\n') {
                    log.debug(line.toString());
                    line.setLength(0);
                } else {
                    line.append((char) b);
                }
            }
        }, true, StandardCharsets.ISO_8859_1);
    }
}
