package io.quarkiverse.ambrosia.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;

/**
 * The benchmarks' broker, as a process of its own: prints {@code BOOTSTRAP=<servers>} once it serves, and runs until
 * its standard input closes or it is killed.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path logDir = Files.createTempDirectory("ambrosia-bench-kafka");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().logDir(logDir).start()) {
            System.out.println("BOOTSTRAP=" + broker.bootstrapServers());
            System.out.flush();
            // the parent holds our standard input open while it needs the broker
            while (System.in.read() >= 0) {
                // keep serving
            }
        }
    }
}
