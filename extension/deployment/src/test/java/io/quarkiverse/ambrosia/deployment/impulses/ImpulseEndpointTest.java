package io.quarkiverse.ambrosia.deployment.impulses;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import jakarta.ws.rs.core.Response;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;

/**
 * An immortal's {@code @Impulse} methods are REST endpoints: requests are recorded, then run; requests that fail
 * decoding or authorization are never recorded; the caller's principal is recorded and replayed.
 */
public class ImpulseEndpointTest {

    private static final String LOG = "impulse-test.Bank";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withUsers(TestApps.withImmortals("impulse-test.", Bank.class, Mappers.class));

    @Test
    void aRequestIsRecordedThenRunAndReadsAreNotRecorded() {
        int before = log().size();
        deposit("alice", "100").then().statusCode(200).body(equalTo("100"));
        deposit("alice", "50").then().statusCode(200).body(equalTo("150"));
        given().get("/accounts/alice").then().statusCode(200).body(equalTo("150"));

        List<ConsumerRecord<byte[], byte[]>> records = log().subList(before, log().size());
        assertThat(records).extracting(TopicReader::value).containsExactly("[\"alice\",100]", "[\"alice\",50]");
        assertThat(records).extracting(r -> TopicReader.header(r, "target")).containsOnly("Bank#deposit");
    }

    @Test
    void undecodableRequestsAreNotRecorded() {
        int before = log().size();
        deposit("bob", "not a number").then().statusCode(400);
        deposit("bob", "{\"amount\":").then().statusCode(400);
        assertThat(log()).hasSize(before);
    }

    @Test
    void unauthorizedRequestsAreNotRecorded() {
        deposit("carol", "10").then().statusCode(200);
        int before = log().size();
        given().contentType(ContentType.JSON).body("5").post("/accounts/carol/withdraw").then().statusCode(401);
        given().auth().preemptive().basic("ann", "secret").contentType(ContentType.JSON).body("5")
                .post("/accounts/carol/withdraw").then().statusCode(403);
        assertThat(log()).hasSize(before);

        given().auth().preemptive().basic("tom", "secret").contentType(ContentType.JSON).body("5")
                .post("/accounts/carol/withdraw").then().statusCode(200).body(equalTo("5"));
        assertThat(log()).hasSize(before + 1);
    }

    @Test
    void theHandlersExceptionIsMappedAndTheCallWasRecorded() {
        int before = log().size();
        given().auth().preemptive().basic("tom", "secret").contentType(ContentType.JSON).body("1000")
                .post("/accounts/dave/withdraw").then().statusCode(409).body(equalTo("insufficient funds: 0 < 1000"));
        assertThat(log()).hasSize(before + 1);
    }

    @Test
    void thePrincipalIsRecordedWithTheCall() {
        given().auth().preemptive().basic("ann", "secret").contentType(ContentType.JSON).body("7")
                .post("/accounts/erin/deposit").then().statusCode(200);
        given().get("/accounts/erin/depositor").then().body(equalTo("ann"));
        deposit("erin", "1").then().statusCode(200);
        given().get("/accounts/erin/depositor").then().body(equalTo("anonymous"));

        List<ConsumerRecord<byte[], byte[]>> records = log();
        assertThat(TopicReader.header(records.get(records.size() - 2), "principal")).isEqualTo("ann");
        assertThat(TopicReader.header(records.get(records.size() - 1), "principal")).isNull();
    }

    private static io.restassured.response.Response deposit(String account, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/accounts/" + account + "/deposit");
    }

    private static List<ConsumerRecord<byte[], byte[]>> log() {
        return TopicReader.readAll(EmbeddedKafkaBroker.sharedBootstrapServers(), LOG);
    }

    public static class Mappers {

        @ServerExceptionMapper
        public Response insufficientFunds(IllegalStateException e) {
            return Response.status(409).entity(e.getMessage()).build();
        }
    }
}
