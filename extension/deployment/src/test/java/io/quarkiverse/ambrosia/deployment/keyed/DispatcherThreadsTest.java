package io.quarkiverse.ambrosia.deployment.keyed;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.http.ContentType;

/**
 * A keyed immortal's four partitions on two dispatcher threads ({@code dispatcher.threads=2}): two threads run them
 * all, each several partitions through one consumer, and calls between keys of partitions run by different threads
 * (or by the same one) are exactly once.
 */
public class DispatcherThreadsTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("threads-test.", Accounts.class)
            .overrideConfigKey("quarkus.ambrosia.dispatcher.threads", "2");

    @Test
    void twoThreadsRunFourPartitions() {
        for (int i = 0; i < 40; i++) {
            given().contentType(ContentType.JSON).body("100").post("/accounts/t-" + i + "/deposit").then().statusCode(200)
                    .body(equalTo("100"));
        }
        // t-i gives i to t-(i+1), having got i-1 from t-(i-1): most transfers go between partitions, some of them
        // run by the other thread
        for (int i = 0; i < 40; i++) {
            given().contentType(ContentType.JSON).body(Integer.toString(i)).post("/accounts/t-" + i + "/transfer/t-"
                    + ((i + 1) % 40)).then().statusCode(200).body(equalTo(i == 0 ? "100" : "99"));
        }
        long total = 0;
        for (int i = 0; i < 40; i++) {
            // and t-0 got 39 from t-39 last
            long expected = i == 0 ? 139 : 99;
            given().get("/accounts/t-" + i).then().statusCode(200).body(equalTo(Long.toString(expected)));
            total += expected;
        }
        assertThat(total).isEqualTo(4000);

        TreeSet<String> dispatchers = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("ambrosia-dispatcher-Accounts")) {
                dispatchers.add(thread.getName());
            }
        }
        assertThat(dispatchers).containsExactly("ambrosia-dispatcher-Accounts-0", "ambrosia-dispatcher-Accounts-1");
    }
}
