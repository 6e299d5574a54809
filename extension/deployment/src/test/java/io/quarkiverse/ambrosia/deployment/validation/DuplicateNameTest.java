package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkus.test.QuarkusUnitTest;

public class DuplicateNameTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(First.class, Second.class))
            .assertException(BuildErrors.containing("are both named 'Orders'", "give one another name with @Immortal(name"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @Immortal(name = "Orders")
    public static class First {
        int count;

        public int next() {
            return ++count;
        }
    }

    @Immortal(name = "Orders")
    public static class Second {
        int count;

        public int next() {
            return ++count;
        }
    }
}
