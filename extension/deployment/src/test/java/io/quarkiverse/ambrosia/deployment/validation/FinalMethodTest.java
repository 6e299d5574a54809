package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkus.test.QuarkusUnitTest;

public class FinalMethodTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Account.class))
            .assertException(BuildErrors.containing(
                    "@Immortal method io.quarkiverse.ambrosia.deployment.validation.FinalMethodTest$Account.deposit() is final"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @Immortal
    public static class Account {
        long balance;

        public final long deposit(long amount) {
            balance += amount;
            return balance;
        }
    }
}
