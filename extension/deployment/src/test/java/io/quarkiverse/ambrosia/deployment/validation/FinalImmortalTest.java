package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkus.test.QuarkusUnitTest;

public class FinalImmortalTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(FinalCounter.class))
            .assertException(BuildErrors.containing(
                    "@Immortal io.quarkiverse.ambrosia.deployment.validation.FinalImmortalTest$FinalCounter is final",
                    "remove the final modifier"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @Immortal
    public static final class FinalCounter {
        long value;

        public long add(long n) {
            value += n;
            return value;
        }
    }
}
