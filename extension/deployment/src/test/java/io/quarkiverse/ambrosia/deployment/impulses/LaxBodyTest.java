package io.quarkiverse.ambrosia.deployment.impulses;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;

/**
 * With {@code quarkus.ambrosia.http.strict-body=false} an impulse's body is read with the application's Jackson
 * coercions; a missing body is still refused, and a body of the wrong shape still names the parameter.
 */
public class LaxBodyTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("lax-body-test.", Bank.class)
            .overrideConfigKey("quarkus.ambrosia.http.strict-body", "false");

    @Test
    void theApplicationsCoercionsApply() {
        given().contentType(ContentType.JSON).body("\"100\"").post("/accounts/alice/deposit").then().statusCode(200)
                .body(equalTo("100"));
        given().contentType(ContentType.JSON).body("1.5").post("/accounts/carol/deposit").then().statusCode(200)
                .body(equalTo("1"));
    }

    @Test
    void theContractStillHolds() {
        given().contentType(ContentType.JSON).body("").post("/accounts/bob/deposit").then().statusCode(400)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:missing-request-body"));
        given().contentType(ContentType.JSON).body("{}").post("/accounts/bob/deposit").then().statusCode(400)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:invalid-request-body"))
                .body("field", equalTo("amount"));
        given().contentType(ContentType.JSON).body("{").post("/accounts/bob/deposit").then().statusCode(400)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:malformed-request-body"));
        given().get("/accounts/bob").then().body(equalTo("0"));
    }
}
