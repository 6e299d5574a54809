package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.ImmortalInterface;
import io.quarkiverse.ambrosia.Key;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;

/**
 * The published interface of a keyed immortal another service runs: the build refuses one whose methods do not each
 * name a key with a stable text form, since its calls could not be routed to their key's partition.
 */
public class KeyedInterfaceMisuseTest {

    private static final String PREFIX = "io.quarkiverse.ambrosia.deployment.validation.KeyedInterfaceMisuseTest$";

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(RemoteAccounts.class))
            .assertException(BuildErrors.containing(
                    "@ImmortalInterface method " + PREFIX + "RemoteAccounts.close() has no @Key parameter, but"
                            + " RemoteAccounts is keyed",
                    "@ImmortalInterface method " + PREFIX + "RemoteAccounts.rate() @Key parameter 'rate' is a double,"
                            + " which has no stable text form"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @ImmortalInterface("RemoteAccounts")
    public interface RemoteAccounts {
        Uni<Long> deposit(@Key String account, long amount);

        Uni<Boolean> close(String account);

        Uni<Long> rate(@Key double rate);
    }
}
