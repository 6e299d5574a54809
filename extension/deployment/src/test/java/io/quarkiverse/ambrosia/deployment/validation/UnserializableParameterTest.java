package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkus.test.QuarkusUnitTest;

public class UnserializableParameterTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Scheduler.class))
            .assertException(BuildErrors.containing("Scheduler.schedule() parameter 'task' cannot be recorded in the log",
                    "code is not state"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @Immortal
    public static class Scheduler {
        int scheduled;

        public void schedule(Runnable task) {
            scheduled++;
        }
    }
}
