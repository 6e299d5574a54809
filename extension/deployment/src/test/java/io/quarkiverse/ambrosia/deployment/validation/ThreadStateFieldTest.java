package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkus.test.QuarkusUnitTest;

public class ThreadStateFieldTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Worker.class))
            .assertException(BuildErrors.containing("ThreadStateFieldTest$Worker field 'worker' cannot be checkpointed",
                    "a thread is not state; mark the field transient"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @Immortal
    public static class Worker {
        Thread worker;

        public void touch() {
        }
    }
}
