package io.quarkiverse.ambrosia.deployment.impulses;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicReader;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;

/**
 * Every answer of an impulse endpoint says where the request was recorded ({@code Ambrosia-Offset}); a
 * {@code @ReadOnly} request sent with {@code Ambrosia-Min-Offset} reads state that includes that record, waiting for
 * it if needed.
 */
public class ReadYourWritesTest {

    private static final String LOG = "ryw-test.Bank";

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withUsers(TestApps.withImmortals("ryw-test.", Bank.class))
            .overrideConfigKey("quarkus.ambrosia.call-timeout", "2s");

    @Test
    void theAnswerCarriesTheOffsetOfItsRecord() {
        long offset = Long.parseLong(deposit("alice", "10", "ryw-1").then().statusCode(200)
                .extract().header("Ambrosia-Offset"));
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.readAll(EmbeddedKafkaBroker.sharedBootstrapServers(),
                LOG);
        ConsumerRecord<byte[], byte[]> record = records.stream().filter(r -> r.offset() == offset).findFirst()
                .orElseThrow();
        assertThat(TopicReader.header(record, "idempotency-key")).isEqualTo("ryw-1");

        // a retry answered from the idempotency table names the original record
        deposit("alice", "10", "ryw-1").then().statusCode(200).header("Ambrosia-Offset", equalTo(Long.toString(offset)));
        given().header("Ambrosia-Min-Offset", offset).get("/accounts/alice").then().statusCode(200)
                .body(equalTo("10"));
    }

    @Test
    void aReadWaitsForTheRecordItNames() throws Exception {
        long last = Long.parseLong(deposit("bob", "1", null).then().statusCode(200).extract().header("Ambrosia-Offset"));
        // asks for the state after the next record, before that record exists
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> given()
                .header("Ambrosia-Min-Offset", last + 1).get("/accounts/bob").then().statusCode(200).extract().asString());
        deposit("bob", "2", null).then().statusCode(200).header("Ambrosia-Offset", equalTo(Long.toString(last + 1)));
        assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo("3");
    }

    @Test
    void aReadForARecordThatDoesNotComeIsRefusedAfterTheCallTimeout() {
        given().header("Ambrosia-Min-Offset", Long.MAX_VALUE / 2).get("/accounts/carol").then().statusCode(503)
                .header("Retry-After", equalTo("1"))
                .body("detail", containsString("has processed up to offset"));
    }

    @Test
    void anOffsetThatIsNotANumberIs400() {
        given().header("Ambrosia-Min-Offset", "latest").get("/accounts/dave").then().statusCode(400)
                .body("type", equalTo("urn:quarkus-ambrosia:problem:invalid-min-offset"));
    }

    private static io.restassured.response.Response deposit(String account, String amount, String key) {
        var request = given().contentType(ContentType.JSON).body(amount);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/accounts/" + account + "/deposit");
    }
}
