package io.quarkiverse.ambrosia.deployment.impulses;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
 * In-flight calls per immortal are bounded: past the bound a request is refused with 429 at once, not queued.
 */
public class OverloadTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("overload-test.", Gate.class)
            .overrideConfigKey("quarkus.ambrosia.max-in-flight", "1");

    @Test
    void pastTheBoundRequestsAreRefusedWith429() throws Exception {
        CompletableFuture<Integer> first = CompletableFuture
                .supplyAsync(() -> given().post("/gate/enter").then().extract().statusCode());
        assertThat(Gate.ENTERED.await(30, TimeUnit.SECONDS)).isTrue();

        given().post("/gate/enter").then().statusCode(429).header("Retry-After", equalTo("1"))
                .body("type", equalTo("urn:quarkus-ambrosia:problem:overloaded"));
        // the same for a request that nobody waits for: the bound is on calls in flight, not on waiting threads
        given().post("/gate/later").then().statusCode(429).header("Retry-After", equalTo("1"))
                .body("type", equalTo("urn:quarkus-ambrosia:problem:overloaded"));

        Gate.RELEASE.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        // neither refused request was recorded: this is the second entry
        given().post("/gate/later").then().statusCode(200).body(equalTo("2"));
    }

    @Immortal
    @Path("/gate")
    public static class Gate {
        static final CountDownLatch ENTERED = new CountDownLatch(1);
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        int entries;

        @POST
        @Path("/enter")
        @Impulse
        public int enter() throws InterruptedException {
            entries++;
            ENTERED.countDown();
            // holds the only in-flight slot until the test has seen the second request refused
            RELEASE.await(30, TimeUnit.SECONDS);
            return entries;
        }

        @POST
        @Path("/later")
        @Impulse
        public Uni<Integer> later() {
            return Uni.createFrom().item(++entries);
        }
    }
}
