package io.quarkiverse.ambrosia.deployment.impulses;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;

/**
 * When the log cannot be written the request is refused with 503, Retry-After and a problem body: never a 2xx.
 */
public class UnreachableLogTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("unreachable-test.", Bank.class, Vault.class)
            // nothing listens there: no broker, so nothing can be recorded
            .overrideConfigKey("kafka.bootstrap.servers", "127.0.0.1:1")
            .overrideConfigKey("quarkus.ambrosia.append-timeout", "1s");

    @Test
    void aRequestThatCannotBeRecordedIsRefused() {
        given().contentType(ContentType.JSON).body("100").post("/accounts/alice/deposit").then()
                .statusCode(503)
                .header("Retry-After", equalTo("1"))
                .contentType("application/problem+json")
                .body("type", equalTo("urn:quarkus-ambrosia:problem:unavailable"))
                .body("status", equalTo(503))
                .body("detail", containsString("Call to Bank.deposit not recorded in unreachable-test.Bank"));
    }

    @Test
    void anAsynchronousRequestThatCannotBeRecordedIsRefused() {
        // served on the event loop: the append that waits for the log's metadata runs on a worker
        given().post("/vault/open").then()
                .statusCode(503)
                .header("Retry-After", equalTo("1"))
                .contentType("application/problem+json")
                .body("type", equalTo("urn:quarkus-ambrosia:problem:unavailable"))
                .body("detail", containsString("Call to Vault.open not recorded in unreachable-test.Vault"));
    }

    @Immortal
    @Path("/vault")
    public static class Vault {
        long opened;

        @POST
        @Path("/open")
        @Impulse
        public Uni<Long> open() {
            return Uni.createFrom().item(++opened);
        }
    }
}
