package io.quarkiverse.ambrosia.deployment.validation;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.AllowNonDeterminism;
import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkus.test.QuarkusUnitTest;

public class AllowedNonDeterminismTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("allowed-test.", Timed.class);

    @Inject
    Timed timed;

    @Test
    void anAnnotatedMethodMayReadTheClock() {
        assertThat(timed.add(2)).isEqualTo(2);
    }

    @Immortal
    public static class Timed {
        private static final Logger LOG = Logger.getLogger(Timed.class);

        long total;

        @AllowNonDeterminism("the elapsed time is only logged")
        public long add(long n) {
            long start = System.nanoTime();
            total += n;
            LOG.debugf("add took %d ns", System.nanoTime() - start);
            return total;
        }
    }
}
