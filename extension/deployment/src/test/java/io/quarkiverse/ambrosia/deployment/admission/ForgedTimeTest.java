package io.quarkiverse.ambrosia.deployment.admission;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkiverse.ambrosia.deployment.impulses.Bank;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;
import io.quarkiverse.ambrosia.testing.TopicWriter;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;

/**
 * A record's {@code logged-at} is chosen by its writer: the dispatcher takes it only within the maximum clock skew of
 * the broker's append time, and never earlier than the previous record's. So a forged far-future time neither expires
 * the idempotency keys (a retry of an old key still does not run again) nor stops time going forward, and a time in
 * the past does not move {@code Immortals.now()} back.
 */
public class ForgedTimeTest {

    private static final String PREFIX = "time-test.";
    private static final long FAR_FUTURE = 99999999999999L;
    private static final long SKEW = 60_000;

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals(PREFIX, Bank.class, Echo.class)
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.WARNING.intValue()
                    && record.getMessage().contains("dispatcher failed"))
            .assertLogRecords(records -> assertThat(records).isEmpty());

    @Inject
    Echo echo;

    @Test
    void aForgedFutureTimeDoesNotExpireTheIdempotencyKeys() {
        deposit("alice", "10", "k1").then().statusCode(200).body(equalTo("10"));
        try (TopicWriter log = TopicWriter.create(EmbeddedKafkaBroker.sharedBootstrapServers(), PREFIX + "Bank")) {
            log.send(TopicWriter.impulse("Bank#deposit", "forged", FAR_FUTURE), null, "[\"mallory\",1]");
        }
        // recorded after the forged record, so run after it
        deposit("bob", "1", null).then().statusCode(200);
        given().get("/accounts/mallory").then().body(equalTo("1"));

        deposit("alice", "10", "k1").then().statusCode(200).body(equalTo("10"));
        given().get("/accounts/alice").then().body(equalTo("10"));
    }

    @Test
    void loggedTimeStaysWithinTheSkewOfTheBrokerAndNeverGoesBack() {
        long before = System.currentTimeMillis();
        try (TopicWriter log = TopicWriter.create(EmbeddedKafkaBroker.sharedBootstrapServers(), PREFIX + "Echo")) {
            log.send(TopicWriter.impulse("Echo#add", "now", before), null, "[1]");
            log.send(TopicWriter.impulse("Echo#add", "earlier", before - 30_000), null, "[1]");
            log.send(TopicWriter.impulse("Echo#add", "future", FAR_FUTURE), null, "[1]");
        }
        // recorded after those three, so run after them
        echo.add(1);
        long after = System.currentTimeMillis();

        List<Long> times = echo.times();
        assertThat(times).hasSize(4);
        assertThat(times.get(0)).isEqualTo(before);
        // stamped 30 s before the previous record: it gets the previous record's time
        assertThat(times.get(1)).isEqualTo(before);
        // the far future is cut to the skew past the broker's time of the record
        assertThat(times.get(2)).isBetween(before, after + SKEW);
        // a time that moved ahead does not go back either
        assertThat(times.get(3)).isEqualTo(times.get(2));
    }

    private static io.restassured.response.Response deposit(String account, String amount, String key) {
        var request = given().contentType(ContentType.JSON).body(amount);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.post("/accounts/" + account + "/deposit");
    }

}
