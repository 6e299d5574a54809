package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkus.test.QuarkusUnitTest;

public class RandomStateFieldTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Dice.class))
            .assertException(BuildErrors.containing("RandomStateFieldTest$Dice field 'random' cannot be checkpointed",
                    "use Immortals.random()"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @Immortal
    public static class Dice {
        Random random = new Random();

        public int roll() {
            return random.nextInt(6);
        }
    }
}
