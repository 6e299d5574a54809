package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkus.test.QuarkusUnitTest;

public class FinalStateFieldTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Registry.class))
            .assertException(BuildErrors.containing("FinalStateFieldTest$Registry field 'names' is final",
                    "remove final, or mark the field transient"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @Immortal
    public static class Registry {
        final List<String> names = new ArrayList<>();

        public int register(String name) {
            names.add(name);
            return names.size();
        }
    }
}
