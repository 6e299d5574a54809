package io.quarkiverse.ambrosia.deployment.impulses;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URI;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;

/**
 * {@code Prefer: respond-async}: 202 Accepted once recorded, with a Location where the outcome is fetched or awaited.
 */
public class AsyncImpulseTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withUsers(TestApps.withImmortals("async-test.", Bank.class, Mappers.class));

    @Test
    void acceptedThenFetched() {
        String location = given().contentType(ContentType.JSON).header("Prefer", "respond-async").body("100")
                .post("/accounts/alice/deposit").then().statusCode(202)
                .header("Preference-Applied", equalTo("respond-async"))
                .header("Location", notNullValue())
                .extract().header("Location");
        assertThat(URI.create(location).getPath()).startsWith("/ambrosia/impulses/Bank/");

        given().header("Prefer", "wait=10").get(location).then().statusCode(200).body(equalTo("100"));
        given().get(location).then().statusCode(200).body(equalTo("100"));
        given().get("/accounts/alice").then().body(equalTo("100"));
    }

    @Test
    void theLocationUsesTheCallersKeyAndAFailureHasItsUsualStatus() {
        String location = given().auth().preemptive().basic("tom", "secret").contentType(ContentType.JSON)
                .header("Prefer", "respond-async").header("Idempotency-Key", "withdraw-7").body("500")
                .post("/accounts/bob/withdraw").then().statusCode(202).extract().header("Location");
        assertThat(URI.create(location).getPath()).isEqualTo("/ambrosia/impulses/Bank/withdraw-7");

        given().header("Prefer", "wait=10").get(location).then().statusCode(409)
                .body(equalTo("insufficient funds: 0 < 500"));
    }

    @Test
    void unknownOutcomesAndImmortalsAre404() {
        given().get("/ambrosia/impulses/Bank/never-sent").then().statusCode(404)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:unknown-impulse"));
        given().get("/ambrosia/impulses/Nobody/key").then().statusCode(404)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:unknown-immortal"));
    }

    public static class Mappers {

        @ServerExceptionMapper
        public Response insufficientFunds(IllegalStateException e) {
            return Response.status(409).entity(e.getMessage()).build();
        }
    }
}
