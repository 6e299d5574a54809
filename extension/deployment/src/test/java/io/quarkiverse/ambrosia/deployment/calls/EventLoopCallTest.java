package io.quarkiverse.ambrosia.deployment.calls;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;

/**
 * A call waits for the log and the dispatcher, so it must not block an event loop: it fails fast with the fix.
 */
public class EventLoopCallTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("event-loop-test.", Counter.class, Endpoints.class);

    @Test
    void aCallFromAnEventLoopFailsWithTheFix() {
        given().post("/non-blocking").then().statusCode(409)
                .body(containsString("Call to Counter.add on an I/O thread"),
                        containsString("annotate it with @Blocking"));
    }

    @Test
    void aCallFromAWorkerThreadRuns() {
        given().post("/blocking").then().statusCode(200).body(equalTo("3"));
    }

    @Path("/")
    public static class Endpoints {

        @Inject
        Counter counter;

        @POST
        @Path("non-blocking")
        @NonBlocking
        public long nonBlocking() {
            return counter.add(1);
        }

        @POST
        @Path("blocking")
        @Blocking
        public long blocking() {
            return counter.add(3);
        }

        @ServerExceptionMapper
        public Response illegalState(IllegalStateException e) {
            return Response.status(409).entity(e.getMessage()).build();
        }
    }
}
