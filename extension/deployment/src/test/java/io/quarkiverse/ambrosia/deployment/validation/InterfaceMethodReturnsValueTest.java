package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.ImmortalInterface;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Multi;

public class InterfaceMethodReturnsValueTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Accounts.class))
            .assertException(BuildErrors.containing(
                    "@ImmortalInterface method io.quarkiverse.ambrosia.deployment.validation"
                            + ".InterfaceMethodReturnsValueTest$Accounts.balance() returns long: a call between immortals"
                            + " is a fork (void) or is answered through the caller's log (Uni<T> or CompletionStage<T>)",
                    "InterfaceMethodReturnsValueTest$Accounts.history() returns io.smallrye.mutiny.Multi"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @ImmortalInterface("Accounts")
    public interface Accounts {

        long balance(String account);

        Multi<Long> history(String account);
    }
}
