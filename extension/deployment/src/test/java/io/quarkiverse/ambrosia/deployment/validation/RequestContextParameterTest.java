package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkus.test.QuarkusUnitTest;

public class RequestContextParameterTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Visits.class))
            .assertException(BuildErrors.containing("RequestContextParameterTest$Visits.visit() parameter 'headers'"
                    + " (jakarta.ws.rs.core.HttpHeaders) is HTTP request context, which a replay does not have",
                    "take the values you need as @HeaderParam, @QueryParam, @PathParam or body parameters"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @Immortal
    @Path("/visits")
    public static class Visits {
        int visits;

        @POST
        @Impulse
        public int visit(@Context HttpHeaders headers) {
            return ++visits;
        }
    }
}
