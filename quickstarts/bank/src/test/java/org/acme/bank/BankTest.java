package org.acme.bank;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class BankTest {

    @Test
    void depositWithdrawAndBalance() {
        post("/accounts/alice/deposit", "100").then().statusCode(200).body(equalTo("100"));
        post("/accounts/alice/withdraw", "30").then().statusCode(200).body(equalTo("70"));
        given().get("/accounts/alice").then().statusCode(200).body(equalTo("70"));
    }

    @Test
    void aWithdrawalBeyondTheBalanceIsRefusedAndChangesNothing() {
        post("/accounts/bob/deposit", "10").then().statusCode(200);
        post("/accounts/bob/withdraw", "25").then().statusCode(409)
                .body(equalTo("account bob holds 10, cannot withdraw 25"));
        given().get("/accounts/bob").then().body(equalTo("10"));
    }

    @Test
    void badInputIsRefused() {
        post("/accounts/carol/deposit", "-5").then().statusCode(400).body(equalTo("a deposit must be positive, not -5"));
        post("/accounts/carol/deposit", "five").then().statusCode(400);
        given().get("/accounts/carol").then().body(equalTo("0"));
    }

    private static io.restassured.response.Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }
}
