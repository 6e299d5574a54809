package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.enterprise.context.RequestScoped;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkus.test.QuarkusUnitTest;

public class RequestScopedImmortalTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Session.class))
            .assertException(BuildErrors.containing(
                    "RequestScopedImmortalTest$Session has scope @jakarta.enterprise.context.RequestScoped",
                    "use @ApplicationScoped or no scope"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @Immortal
    @RequestScoped
    public static class Session {
        int hits;

        public int hit() {
            return ++hits;
        }
    }
}
