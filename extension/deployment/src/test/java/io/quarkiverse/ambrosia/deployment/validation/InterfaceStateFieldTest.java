package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkus.test.QuarkusUnitTest;

public class InterfaceStateFieldTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Shapes.class, Shape.class))
            .assertException(BuildErrors.containing("InterfaceStateFieldTest$Shapes field 'shapes' cannot be checkpointed",
                    "InterfaceStateFieldTest$Shape is an interface", "declare a concrete class"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    public interface Shape {
        double area();
    }

    @Immortal
    public static class Shapes {
        List<Shape> shapes = new ArrayList<>();

        public int count() {
            return shapes.size();
        }
    }
}
