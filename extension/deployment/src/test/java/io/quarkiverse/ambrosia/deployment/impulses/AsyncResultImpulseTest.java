package io.quarkiverse.ambrosia.deployment.impulses;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkus.runtime.BlockingOperationControl;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;

/**
 * Impulse endpoints may return {@code Uni<T>} or {@code CompletionStage<T>}: they are served on the event loop (the
 * call is recorded without waiting on it) and answer the value, kept with an idempotency key like any other, with
 * where it was recorded; {@code Prefer: respond-async} answers once it is recorded.
 */
public class AsyncResultImpulseTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("async-result-test.", Tickets.class, ServedOn.class);

    @Test
    void aUniOrCompletionStageEndpointAnswersItsValue() {
        given().post("/tickets/uni").then().statusCode(200).body(equalTo("1"))
                .header("Ambrosia-Offset", notNullValue()).header(SERVED_ON, "event-loop");
        given().post("/tickets/stage").then().statusCode(200).body(equalTo("2")).header(SERVED_ON, "event-loop");
        given().header("Idempotency-Key", "k1").post("/tickets/uni").then().statusCode(200).body(equalTo("3"));
        given().header("Idempotency-Key", "k1").post("/tickets/uni").then().statusCode(200).body(equalTo("3"));
        given().post("/tickets/refused").then().statusCode(500);
        given().post("/tickets/uni").then().statusCode(200).body(equalTo("4"));

        // asked to answer once recorded, it does so, and the outcome is fetched later
        String location = given().header("Prefer", "respond-async").post("/tickets/uni").then().statusCode(202)
                .header("Location", notNullValue()).header("Ambrosia-Offset", notNullValue())
                .header(SERVED_ON, "event-loop")
                .extract().header("Location");
        given().header("Prefer", "wait=10").get(location).then().statusCode(200).body(equalTo("5"));
    }

    static final String SERVED_ON = "X-Served-On";

    /** Says whether the answer was written on an event loop (a worker thread may block, an event loop may not). */
    public static class ServedOn {
        @ServerResponseFilter
        public void servedOn(ContainerResponseContext response) {
            response.getHeaders().putSingle(SERVED_ON,
                    BlockingOperationControl.isBlockingAllowed() ? Thread.currentThread().getName() : "event-loop");
        }
    }

    @Immortal
    @Path("/tickets")
    public static class Tickets {
        long issued;

        @POST
        @Path("uni")
        @Impulse
        public Uni<Long> uni() {
            return Uni.createFrom().item(++issued);
        }

        @POST
        @Path("stage")
        @Impulse
        public CompletionStage<Long> stage() {
            return CompletableFuture.completedFuture(++issued);
        }

        @POST
        @Path("refused")
        @Impulse
        public Uni<Long> refused() {
            return Uni.createFrom().failure(new IllegalStateException("closed"));
        }
    }
}
