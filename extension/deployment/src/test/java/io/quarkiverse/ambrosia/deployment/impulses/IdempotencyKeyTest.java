package io.quarkiverse.ambrosia.deployment.impulses;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;

/**
 * A retry with the same Idempotency-Key gets the first attempt's outcome without running or recording anything; the
 * key cannot be reused for another request.
 */
public class IdempotencyKeyTest {

    private static final String LOG = "idempotency-test.Bank";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps
            .withUsers(TestApps.withImmortals("idempotency-test.", Bank.class, Mappers.class));

    @Test
    void aRetryGetsTheFirstResultAndRunsNothing() {
        deposit("alice", "100", "deposit-1").then().statusCode(200).body(equalTo("100"));
        int recorded = log();
        deposit("alice", "100", "deposit-1").then().statusCode(200).body(equalTo("100"));
        deposit("alice", "100", "deposit-1").then().statusCode(200).body(equalTo("100"));

        assertThat(log()).isEqualTo(recorded);
        given().get("/accounts/alice").then().body(equalTo("100"));
    }

    @Test
    void aRetryOfAFailedCallFailsTheSameWay() {
        withdraw("bob", "50", "withdraw-1").then().statusCode(409).body(equalTo("insufficient funds: 0 < 50"));
        int recorded = log();
        deposit("bob", "80", null).then().statusCode(200);

        withdraw("bob", "50", "withdraw-1").then().statusCode(409).body(equalTo("insufficient funds: 0 < 50"));
        assertThat(log()).isEqualTo(recorded + 1);
        given().get("/accounts/bob").then().body(equalTo("80"));
    }

    @Test
    void aKeyReusedForAnotherRequestIsRefused() {
        deposit("carol", "10", "deposit-2").then().statusCode(200);
        int recorded = log();

        deposit("carol", "11", "deposit-2").then().statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:quarkus-ambrosia:problem:idempotency-key-reused"))
                .body("detail", containsString("Idempotency key 'deposit-2' was used at offset"));
        deposit("dave", "10", "deposit-2").then().statusCode(422);
        assertThat(log()).isEqualTo(recorded);
    }

    @Test
    void anInvalidKeyIsRefusedBeforeRecording() {
        int recorded = log();
        deposit("erin", "10", "x".repeat(256)).then().statusCode(400)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:invalid-idempotency-key"));
        assertThat(log()).isEqualTo(recorded);
    }

    @Test
    void twoKeysAreRefusedBeforeRecording() {
        int recorded = log();
        given().contentType(ContentType.JSON).body("10").header("Idempotency-Key", "two-a")
                .header("Idempotency-Key", "two-b").post("/accounts/frank/deposit").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:quarkus-ambrosia:problem:invalid-idempotency-key"))
                .body("field", equalTo("Idempotency-Key"))
                .body("detail", containsString("2 Idempotency-Key headers"));
        assertThat(log()).isEqualTo(recorded);
        given().get("/accounts/frank").then().body(equalTo("0"));
    }

    @Test
    void aKeyThatIsARelativePathSegmentIsRefused() {
        int recorded = log();
        for (String key : List.of(".", "..")) {
            deposit("gina", "10", key).then().statusCode(400)
                    .body("type", equalTo("urn:quarkus-ambrosia:problem:invalid-idempotency-key"));
        }
        assertThat(log()).isEqualTo(recorded);
    }

    @Test
    void everyAllowedKeyRoundTripsThroughLocation() {
        List<String> keys = List.of("k/../x?y=1#z%41&", "...", "%", "%2F", "%2E%2E", "a/b", "/", "?", "#", "a;b=c",
                "~!*'():@&=+$,[]", "\"{}|\\^`<>", "x".repeat(255));
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            String location = given().contentType(ContentType.JSON).body(Integer.toString(i + 1))
                    .header("Idempotency-Key", key).header("Prefer", "respond-async")
                    .post("/accounts/nasty-" + i + "/deposit").then().statusCode(202).extract().header("Location");
            var outcome = given().urlEncodingEnabled(false).header("Prefer", "wait=10").get(location);
            assertThat(outcome.statusCode()).as("the outcome of key '%s' at %s: %s", key, location,
                    outcome.asString()).isEqualTo(200);
            assertThat(outcome.asString()).isEqualTo(Integer.toString(i + 1));
        }
    }

    private static io.restassured.response.Response deposit(String account, String amount, String key) {
        var request = given().contentType(ContentType.JSON).body(amount);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.post("/accounts/" + account + "/deposit");
    }

    private static io.restassured.response.Response withdraw(String account, String amount, String key) {
        return given().auth().preemptive().basic("tom", "secret").contentType(ContentType.JSON).body(amount)
                .header("Idempotency-Key", key).post("/accounts/" + account + "/withdraw");
    }

    private static int log() {
        return TopicReader.readAll(EmbeddedKafkaBroker.sharedBootstrapServers(), LOG).size();
    }

    public static class Mappers {

        @ServerExceptionMapper
        public Response insufficientFunds(IllegalStateException e) {
            return Response.status(409).entity(e.getMessage()).build();
        }
    }
}
