package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.enterprise.context.ApplicationScoped;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Impulse;
import io.quarkus.test.QuarkusUnitTest;

public class ImpulseOutsideImmortalTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Plain.class))
            .assertException(BuildErrors.containing("@Impulse method io.quarkiverse.ambrosia.deployment.validation"
                    + ".ImpulseOutsideImmortalTest$Plain.touch() is not in an @Immortal class"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @ApplicationScoped
    public static class Plain {
        @Impulse
        public void touch() {
        }
    }
}
