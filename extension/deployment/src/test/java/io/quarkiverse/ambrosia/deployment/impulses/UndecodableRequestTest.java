package io.quarkiverse.ambrosia.deployment.impulses;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Requests to an immortal's endpoint that do not decode get a problem body naming the field, and leave the log
 * untouched; other endpoints of the application answer as Quarkus REST does.
 */
public class UndecodableRequestTest {

    private static final String PREFIX = "undecodable-test.";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals(PREFIX, Shop.class, Bank.class, Piggy.class,
            PlainResource.class);

    private long recordsBefore;

    @BeforeEach
    void countRecords() {
        recordsBefore = log();
    }

    @AfterEach
    void nothingWasRecorded() {
        assertThat(log()).as("records in the logs").isEqualTo(recordsBefore);
    }

    @Test
    void aBodyThatIsNotJson() {
        json().body("{\"item\": oops").post("/shops/1/orders").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:quarkus-ambrosia:problem:malformed-request-body"))
                .body("detail", containsString("the request body of Shop.order is not valid JSON"))
                .body("detail", containsString("line 1"));
    }

    @Test
    void aFieldOfTheWrongType() {
        json().body("{\"item\":\"tea\",\"count\":\"three\"}").post("/shops/1/orders").then().statusCode(400)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:invalid-request-body"))
                .body("field", equalTo("count"))
                .body("detail", containsString("field 'count' of the request body of Shop.order"));
    }

    @Test
    void anElementOfTheWrongTypeInAList() {
        json().body("{\"item\":\"tea\",\"sizes\":[1,\"large\"]}").post("/shops/1/orders").then().statusCode(400)
                .body("field", equalTo("sizes[1]"));
    }

    @Test
    void aBodyOfTheWrongShape() {
        json().body("[1, 2]").post("/shops/1/orders").then().statusCode(400)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:invalid-request-body"))
                .body("detail", containsString("the request body of Shop.order does not fit"));
    }

    @Test
    void aMissingBodyIsRefused() {
        for (String path : List.of("/accounts/alice/deposit", "/piggy/add")) {
            for (String body : List.of("", "  \n\t ")) {
                json().body(body).post(path).then().statusCode(400)
                        .contentType("application/problem+json")
                        .body("type", equalTo("urn:quarkus-ambrosia:problem:missing-request-body"))
                        .body("field", equalTo("amount"))
                        .body("detail", containsString("is empty: send a JSON value for parameter 'amount'"));
            }
            json().post(path).then().statusCode(400)
                    .body("type", equalTo("urn:quarkus-ambrosia:problem:missing-request-body"));
        }
    }

    @Test
    void aBodyOfTheWrongShapeNamesTheBodyParameter() {
        for (String body : List.of("\"three\"", "{\"amount\": 5}", "{}", "[5]", "true")) {
            json().body(body).post("/accounts/alice/deposit").then().statusCode(400)
                    .body("type", equalTo("urn:quarkus-ambrosia:problem:invalid-request-body"))
                    .body("field", equalTo("amount"))
                    .body("detail", containsString("the request body of Bank.deposit does not fit parameter 'amount'"));
        }
    }

    @Test
    void aBodyThatIsNotJsonWhereANumberIsExpected() {
        for (String body : List.of("{\"amount\": oops", "{", "5 }")) {
            json().body(body).post("/accounts/alice/deposit").then().statusCode(400)
                    .body("type", equalTo("urn:quarkus-ambrosia:problem:malformed-request-body"))
                    .body("detail", containsString("the request body of Bank.deposit is not valid JSON"));
        }
    }

    @Test
    void looseCoercionsAreRefused() {
        for (String body : List.of("\"100\"", "1.5", "1.0", "null", "100 200")) {
            json().body(body).post("/accounts/alice/deposit").then().statusCode(400)
                    .body("type", equalTo("urn:quarkus-ambrosia:problem:invalid-request-body"))
                    .body("field", equalTo("amount"));
        }
        for (String body : List.of("\"100\"", "1.5", "true")) {
            json().body(body).post("/piggy/add").then().statusCode(400)
                    .body("type", equalTo("urn:quarkus-ambrosia:problem:invalid-request-body"))
                    .body("field", equalTo("amount"));
        }
        json().body("{\"item\":\"tea\",\"count\":2.5}").post("/shops/1/orders").then().statusCode(400)
                .body("field", equalTo("count"));
        json().body("{\"item\":7}").post("/shops/1/orders").then().statusCode(400)
                .body("field", equalTo("item"));
        given().get("/accounts/alice").then().statusCode(200).body(equalTo("0"));
    }

    @Test
    void otherEndpointsKeepTheApplicationsCoercions() {
        json().body("\"100\"").post("/plain/amount").then().statusCode(200).body(equalTo("100"));
        json().body("1.5").post("/plain/amount").then().statusCode(200).body(equalTo("1"));
    }

    @Test
    void aPathParameterThatDoesNotConvert() {
        // JAX-RS answers 404 for a path or query parameter that does not convert: the URI names no resource
        json().body("{}").post("/shops/corner/orders").then().statusCode(404)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:invalid-parameter"))
                .body("field", equalTo("shop"))
                .body("detail", containsString("path parameter shop of Shop.order"));
    }

    @Test
    void aQueryParameterThatDoesNotConvert() {
        json().body("{}").post("/shops/1/orders?priority=high").then().statusCode(404)
                .body("field", equalTo("priority"))
                .body("detail", containsString("query parameter priority"));
    }

    @Test
    void aHeaderThatDoesNotConvert() {
        json().header("Client-Version", "v2").body("{}").post("/shops/1/orders").then().statusCode(400)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:invalid-parameter"))
                .body("field", equalTo("Client-Version"));
    }

    @Test
    void otherEndpointsAnswerAsQuarkusRestDoes() {
        // Quarkus REST Jackson's own answer (in dev and test mode it describes the field; text, as the method produces)
        json().body("{\"count\":\"three\"}").post("/plain/orders").then().statusCode(400)
                .body(containsString("attributeName='count'"));
        given().post("/plain/corner").then().statusCode(404).body(equalTo(""));
    }

    @Test
    void aRequestThatDecodesIsRecorded() {
        json().body("{\"item\":\"tea\",\"count\":3,\"sizes\":[1]}").post("/shops/1/orders?priority=2").then()
                .statusCode(200);
        json().body(" 7 ").post("/piggy/add").then().statusCode(200).body(equalTo("7"));
        json().body("null").post("/piggy/add").then().statusCode(200).body(equalTo("7"));
        json().body("5").post("/accounts/bob/deposit").then().statusCode(200).body(equalTo("5"));
        recordsBefore += 4;
    }

    private static RequestSpecification json() {
        return given().contentType(ContentType.JSON);
    }

    /** @return how many records the logs ever had (a checkpoint may trim what is before it) */
    private static long log() {
        long records = 0;
        for (String immortal : List.of("Shop", "Bank", "Piggy")) {
            records += TopicReader.endOffset(EmbeddedKafkaBroker.sharedBootstrapServers(), PREFIX + immortal);
        }
        return records;
    }

    /** A wrapper body parameter: {@code null} is a value it may be sent, an empty body is not. */
    @Immortal
    @Path("/piggy")
    public static class Piggy {
        long total;

        @POST
        @Path("/add")
        @Impulse
        public long add(Long amount) {
            total += amount == null ? 0 : amount;
            return total;
        }
    }

    @Path("/plain")
    public static class PlainResource {

        @POST
        @Path("/orders")
        public String order(Shop.Order order) {
            return order.item();
        }

        @POST
        @Path("/amount")
        public long amount(long amount) {
            return amount;
        }

        @POST
        @Path("/{number}")
        public long number(@PathParam("number") long number) {
            return number;
        }
    }
}
