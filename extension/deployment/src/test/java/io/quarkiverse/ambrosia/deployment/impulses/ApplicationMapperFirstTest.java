package io.quarkiverse.ambrosia.deployment.impulses;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;

/**
 * The application's own exception mapper answers before the extension's problem details.
 */
public class ApplicationMapperFirstTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("mapper-first-test.", Shop.class, OwnMapper.class);

    @Test
    void theApplicationsMapperWins() {
        given().contentType(ContentType.JSON).body("{\"count\":\"three\"}").post("/shops/1/orders").then()
                .statusCode(422).body(equalTo("own: count"));
    }

    @Provider
    public static class OwnMapper implements ExceptionMapper<MismatchedInputException> {

        @Override
        public Response toResponse(MismatchedInputException exception) {
            return Response.status(422).entity("own: " + exception.getPath().get(0).getFieldName()).build();
        }
    }
}
