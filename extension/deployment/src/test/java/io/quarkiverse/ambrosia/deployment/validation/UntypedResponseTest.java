package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkus.test.QuarkusUnitTest;

public class UntypedResponseTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Votes.class))
            .assertException(BuildErrors.containing("UntypedResponseTest$Votes.vote() returns jakarta.ws.rs.core.Response",
                    "return RestResponse<T> (org.jboss.resteasy.reactive.RestResponse) with the entity's type instead"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @Immortal
    @Path("/votes")
    public static class Votes {
        int votes;

        @POST
        @Impulse
        public Response vote() {
            return Response.ok(++votes).build();
        }
    }
}
