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
        post("/accounts/carol/deposit", "five").then().statusCode(400);
        given().get("/accounts/carol").then().body(equalTo("0"));
    }

    @Test
    void amountsThatAreNotPositiveAreRefusedWithAProblemNamingTheParameterAndChangeNothing() {
        post("/accounts/dave/deposit", "50").then().statusCode(200);
        for (String amount : new String[]{"-5", "0"}) {
            refusedAmount(post("/accounts/dave/withdraw", amount), "the amount of a withdrawal must be positive, not "
                    + amount);
            refusedAmount(post("/accounts/dave/deposit", amount), "the amount of a deposit must be positive, not "
                    + amount);
        }
        given().get("/accounts/dave").then().statusCode(200).body(equalTo("50"));
        // a retry of a refused withdrawal with its Idempotency-Key gets the same answer, and still changes nothing
        for (int attempt = 0; attempt < 2; attempt++) {
            refusedAmount(given().contentType(ContentType.JSON).header("Idempotency-Key", "dave-minus-5").body("-5")
                    .post("/accounts/dave/withdraw"), "the amount of a withdrawal must be positive, not -5");
        }
        given().get("/accounts/dave").then().body(equalTo("50"));
    }

    private static void refusedAmount(io.restassured.response.Response response, String detail) {
        response.then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:acme:bank:problem:invalid-amount"))
                .body("status", equalTo(400))
                .body("field", equalTo("amount"))
                .body("detail", equalTo(detail));
    }

    private static io.restassured.response.Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }
}
