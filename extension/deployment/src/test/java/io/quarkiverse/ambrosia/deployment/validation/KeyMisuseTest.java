package io.quarkiverse.ambrosia.deployment.validation;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Key;
import io.quarkiverse.ambrosia.ReadOnly;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The build refuses keyed immortals that cannot route or hold their keys, naming the class, the method and the fix:
 * a method without a {@code @Key}, two of them, a key type without a stable text form, partitions on a singleton, and
 * an injected constructor.
 */
public class KeyMisuseTest {

    private static final String PREFIX = "io.quarkiverse.ambrosia.deployment.validation.KeyMisuseTest$";

    @RegisterExtension
    static final QuarkusUnitTest TEST = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(MissingKey.class, TwoKeys.class, DoubleKey.class, ObjectKey.class,
                    Singleton.class, InjectedConstructor.class, Helper.class, Point.class))
            .assertException(BuildErrors.containing(
                    "@Immortal method " + PREFIX + "MissingKey.total() has no @Key parameter, but MissingKey is keyed",
                    "@Immortal method " + PREFIX + "TwoKeys.move() has 2 @Key parameters ('from', 'to')",
                    "@Immortal method " + PREFIX + "DoubleKey.add() @Key parameter 'id' is a double, which has no stable"
                            + " text form",
                    "@Immortal method " + PREFIX + "ObjectKey.add() @Key parameter 'point' is a " + PREFIX
                            + "Point, which has no stable text form",
                    "@Immortal " + PREFIX + "Singleton sets partitions = 8 but none of its methods has a @Key parameter",
                    "@Immortal " + PREFIX + "InjectedConstructor is keyed and has an @Inject constructor"));

    @Test
    void buildFails() {
        fail("The build should have failed");
    }

    @Immortal
    public static class MissingKey {
        long value;

        public long add(@Key String id, long amount) {
            value += amount;
            return value;
        }

        @ReadOnly
        public long total() {
            return value;
        }
    }

    @Immortal
    public static class TwoKeys {
        long value;

        public void move(@Key String from, @Key String to) {
            value++;
        }
    }

    @Immortal
    public static class DoubleKey {
        long value;

        public void add(@Key double id) {
            value++;
        }
    }

    public record Point(int x, int y) {
    }

    @Immortal
    public static class ObjectKey {
        long value;

        public void add(@Key Point point) {
            value++;
        }
    }

    @Immortal(partitions = 8)
    public static class Singleton {
        long value;

        public void add(long amount) {
            value += amount;
        }
    }

    @jakarta.enterprise.context.ApplicationScoped
    public static class Helper {
    }

    @Immortal
    public static class InjectedConstructor {
        long value;
        transient Helper helper;

        public InjectedConstructor() {
        }

        @Inject
        public InjectedConstructor(Helper helper) {
            this.helper = helper;
        }

        public void add(@Key String id) {
            value++;
        }
    }
}
