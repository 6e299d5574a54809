package io.quarkiverse.ambrosia.testing;

import org.apache.kafka.common.utils.Exit;
import org.jboss.logging.Logger;

/**
 * Keeps an embedded broker's fatal faults from ending the JVM that hosts it (a test run, a dev-mode session).
 */
final class KafkaExitGuard {

    private static final Logger LOG = Logger.getLogger(KafkaExitGuard.class);

    private static boolean installed;

    private KafkaExitGuard() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        // Kafka calls these on unrecoverable faults (e.g. a log directory failure); in a shared JVM that would kill
        // every test or the developer's application along with the broker.
        Exit.setExitProcedure((status, message) -> LOG.errorf(new IllegalStateException("Kafka exit requested"),
                "Embedded Kafka broker asked to exit the JVM with status %d (%s); the JVM keeps running", status, message));
        Exit.setHaltProcedure((status, message) -> LOG.errorf(new IllegalStateException("Kafka halt requested"),
                "Embedded Kafka broker asked to halt the JVM with status %d (%s); the JVM keeps running", status, message));
        installed = true;
    }
}
