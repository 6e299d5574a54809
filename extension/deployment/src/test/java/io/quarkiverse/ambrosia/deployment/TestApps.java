package io.quarkiverse.ambrosia.deployment;

import io.quarkus.test.QuarkusUnitTest;

/**
 * An application of the given classes on the test JVM's embedded broker (started by the Dev Service), with topics of
 * its own.
 */
public final class TestApps {

    private TestApps() {
    }

    public static QuarkusUnitTest withImmortals(String topicPrefix, Class<?>... classes) {
        return new QuarkusUnitTest()
                // the test class is loaded again inside the application, and refers to this class
                .withApplicationRoot(jar -> jar.addClasses(classes).addClass(TestApps.class))
                .overrideConfigKey("quarkus.ambrosia.topic-prefix", topicPrefix);
    }
}
