package io.quarkiverse.ambrosia.deployment.impulses;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.ReadOnly;
import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.Uni;

/**
 * A recorded request that does not finish within the call timeout: with an Idempotency-Key it is answered 202 with
 * the Location of its outcome, which can be fetched while the handler still runs; without a key, 504. Alike for an
 * endpoint returning a {@code Uni}.
 */
public class SlowImpulseTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("slow-test.", Slow.class)
            .overrideConfigKey("quarkus.ambrosia.call-timeout", "300ms");

    @Test
    void aKeyedRequestPastTheCallTimeoutIsAcceptedAndItsOutcomeFetchedLater() {
        String location = given().header("Idempotency-Key", "slow-1").post("/slow/run").then().statusCode(202)
                .header("Location", notNullValue()).header("Ambrosia-Offset", notNullValue())
                .header("Preference-Applied", nullValue())
                .extract().header("Location");

        // the handler still holds the dispatcher: the outcome is not there yet, and asking does not wait for it
        given().get(location).then().statusCode(202);
        // a retry with the key while it runs is accepted again, and will not run a second time
        given().header("Idempotency-Key", "slow-1").post("/slow/run").then().statusCode(202)
                .header("Location", equalTo(location));
        // without a key there is nowhere to fetch the outcome from: 504, and it will still run once
        given().post("/slow/run").then().statusCode(504)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:pending"));
        // the same for an endpoint returning a Uni, which nothing waits for: the call timeout still ends it
        String later = given().header("Idempotency-Key", "slow-2").post("/slow/later").then().statusCode(202)
                .header("Location", notNullValue()).header("Ambrosia-Offset", notNullValue())
                .extract().header("Location");
        given().post("/slow/later").then().statusCode(504)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:pending"));

        Slow.RELEASE.countDown();
        given().header("Prefer", "wait=10").get(location).then().statusCode(200).body(equalTo("1"));
        given().header("Idempotency-Key", "slow-1").post("/slow/run").then().statusCode(200).body(equalTo("1"));
        given().header("Prefer", "wait=10").get(later).then().statusCode(200).body(equalTo("3"));
        // recorded after all the others, so it runs last: the keyed requests and the unkeyed ones ran once each, and
        // the retry recorded meanwhile did not run
        given().post("/slow/run").then().statusCode(200).body(equalTo("5"));
    }

    @Immortal
    @Path("/slow")
    public static class Slow {
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        int runs;

        @POST
        @Path("/run")
        @Impulse
        public int run() throws InterruptedException {
            // holds the dispatcher past the call timeout until the test has seen the answers given meanwhile
            RELEASE.await(30, TimeUnit.SECONDS);
            return ++runs;
        }

        @POST
        @Path("/later")
        @Impulse
        public Uni<Integer> later() throws InterruptedException {
            RELEASE.await(30, TimeUnit.SECONDS);
            return Uni.createFrom().item(++runs);
        }

        @GET
        @ReadOnly
        public int runs() {
            return runs;
        }
    }
}
