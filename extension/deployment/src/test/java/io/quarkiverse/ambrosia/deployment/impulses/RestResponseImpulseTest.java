package io.quarkiverse.ambrosia.deployment.impulses;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.ReadOnly;
import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;

/**
 * An impulse returning {@code RestResponse<T>} answers with its status, headers and entity; a retry with the same
 * Idempotency-Key and a fetch of an accepted call's outcome answer the same response, without running it again.
 */
public class RestResponseImpulseTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("rest-response-test.", Orders.class);

    @Test
    void theResponseIsAnsweredAndKeptForRetries() {
        given().contentType(ContentType.JSON).header("Idempotency-Key", "order-1").body("{\"item\":\"tea\"}")
                .post("/orders").then().statusCode(201).header("Location", equalTo("/orders/1"))
                .header("Order-Count", equalTo("1")).body("id", equalTo(1)).body("item", equalTo("tea"));

        given().contentType(ContentType.JSON).header("Idempotency-Key", "order-1").body("{\"item\":\"tea\"}")
                .post("/orders").then().statusCode(201).header("Location", equalTo("/orders/1"))
                .header("Order-Count", equalTo("1")).body("id", equalTo(1));
        given().get("/orders/count").then().body(equalTo("1"));
    }

    @Test
    void anAcceptedCallsOutcomeIsTheResponse() {
        String location = given().contentType(ContentType.JSON).header("Prefer", "respond-async")
                .body("{\"item\":\"cake\"}").post("/orders").then().statusCode(202).extract().header("Location");
        given().header("Prefer", "wait=10").get(URI.create(location).getPath()).then().statusCode(201)
                .header("Location", equalTo("/orders/2")).body("item", equalTo("cake"));
    }

    @Test
    void aResponseWithoutEntity() {
        given().post("/orders/none").then().statusCode(409).header("Reason", equalTo("closed"));
    }

    @Immortal
    @Path("/orders")
    public static class Orders {
        int count;

        public record Order(Integer id, String item) {
        }

        @POST
        @Impulse
        public RestResponse<Order> place(Order order) {
            count++;
            return RestResponse.ResponseBuilder.<Order>created(URI.create("/orders/" + count))
                    .header("Order-Count", count).entity(new Order(count, order.item())).build();
        }

        @POST
        @Path("/none")
        @Impulse
        public RestResponse<Void> none() {
            return RestResponse.ResponseBuilder.<Void>create(409).header("Reason", "closed").build();
        }

        @GET
        @Path("/count")
        @ReadOnly
        public int count() {
            return count;
        }
    }
}
