package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkus.test.QuarkusUnitTest;

public class NonDeterministicHandlerTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Orders.class))
            .assertException(BuildErrors.containing(
                    "@Immortal method io.quarkiverse.ambrosia.deployment.validation.NonDeterministicHandlerTest$Orders"
                            + ".place() calls java.lang.System.currentTimeMillis(): it reads the clock; use Immortals.now()",
                    "Orders.placeAll() (in a lambda) calls java.util.UUID.randomUUID(): it draws a random UUID; use"
                            + " Immortals.uuid()",
                    "annotate the method with @AllowNonDeterminism(\"why\")"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @Immortal
    public static class Orders {
        List<String> orders = new ArrayList<>();

        public String place(String item) {
            String order = item + "@" + System.currentTimeMillis();
            orders.add(order);
            return order;
        }

        public int placeAll(List<String> items) {
            items.forEach(item -> orders.add(item + "#" + UUID.randomUUID()));
            return orders.size();
        }
    }
}
