package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkus.test.QuarkusUnitTest;

public class EndpointWithoutImpulseTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Votes.class))
            .assertException(BuildErrors.containing("@Immortal method io.quarkiverse.ambrosia.deployment.validation"
                    + ".EndpointWithoutImpulseTest$Votes.vote() is an HTTP endpoint: annotate it with @Impulse",
                    "or @ReadOnly (served from local state, not recorded)"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @Immortal
    @Path("/votes")
    public static class Votes {
        int votes;

        @POST
        public int vote() {
            return ++votes;
        }
    }
}
