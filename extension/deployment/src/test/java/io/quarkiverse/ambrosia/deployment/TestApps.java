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

    /**
     * Adds HTTP basic authentication with two users: {@code tom} (role {@code teller}) and {@code ann} (role
     * {@code customer}), both with password {@code secret}.
     */
    public static QuarkusUnitTest withUsers(QuarkusUnitTest test) {
        return test.overrideConfigKey("quarkus.http.auth.basic", "true")
                .overrideConfigKey("quarkus.security.users.embedded.enabled", "true")
                .overrideConfigKey("quarkus.security.users.embedded.plain-text", "true")
                .overrideConfigKey("quarkus.security.users.embedded.users.tom", "secret")
                .overrideConfigKey("quarkus.security.users.embedded.roles.tom", "teller")
                .overrideConfigKey("quarkus.security.users.embedded.users.ann", "secret")
                .overrideConfigKey("quarkus.security.users.embedded.roles.ann", "customer");
    }
}
