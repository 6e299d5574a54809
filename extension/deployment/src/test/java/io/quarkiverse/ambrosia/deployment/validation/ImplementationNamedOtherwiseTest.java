package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.ImmortalInterface;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;

public class ImplementationNamedOtherwiseTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Accounts.class, AccountsImmortal.class))
            .assertException(BuildErrors.containing("@Immortal io.quarkiverse.ambrosia.deployment.validation"
                    + ".ImplementationNamedOtherwiseTest$AccountsImmortal is named 'Ledger' but implements"
                    + " @ImmortalInterface io.quarkiverse.ambrosia.deployment.validation"
                    + ".ImplementationNamedOtherwiseTest$Accounts, which names immortal 'Accounts': give them the same"
                    + " name"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @ImmortalInterface("Accounts")
    public interface Accounts {

        Uni<Long> deposit(String account, long amount);
    }

    @Immortal(name = "Ledger")
    public static class AccountsImmortal implements Accounts {
        long total;

        @Override
        public Uni<Long> deposit(String account, long amount) {
            total += amount;
            return Uni.createFrom().item(total);
        }
    }
}
