package io.quarkiverse.ambrosia.deployment.impulses;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;

/**
 * Impulse endpoints may return {@code Uni<T>} or {@code CompletionStage<T>}: they run on a worker thread (recording
 * waits for the log) and answer the value, kept with an idempotency key like any other.
 */
public class AsyncResultImpulseTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("async-result-test.", Tickets.class);

    @Test
    void aUniOrCompletionStageEndpointAnswersItsValue() {
        given().post("/tickets/uni").then().statusCode(200).body(equalTo("1"));
        given().post("/tickets/stage").then().statusCode(200).body(equalTo("2"));
        given().header("Idempotency-Key", "k1").post("/tickets/uni").then().statusCode(200).body(equalTo("3"));
        given().header("Idempotency-Key", "k1").post("/tickets/uni").then().statusCode(200).body(equalTo("3"));
        given().post("/tickets/refused").then().statusCode(500);
        given().post("/tickets/uni").then().statusCode(200).body(equalTo("4"));
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
