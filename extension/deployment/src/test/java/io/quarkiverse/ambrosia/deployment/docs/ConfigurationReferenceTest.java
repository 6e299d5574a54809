package io.quarkiverse.ambrosia.deployment.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.ambrosia.deployment.devservices.AmbrosiaDevServicesConfig;
import io.quarkiverse.ambrosia.runtime.AmbrosiaConfig;
import io.smallrye.config.ConfigMapping;

/**
 * The configuration reference in docs/guide.md is written by hand: this keeps it from missing a property.
 */
class ConfigurationReferenceTest {

    @Test
    void everyPropertyIsInTheGuide() throws IOException {
        String guide = Files.readString(Path.of("..", "..", "docs", "guide.md"));
        List<String> properties = new ArrayList<>();
        collect(AmbrosiaConfig.class, AmbrosiaConfig.class.getAnnotation(ConfigMapping.class).prefix() + ".", properties);
        collect(AmbrosiaDevServicesConfig.class,
                AmbrosiaDevServicesConfig.class.getAnnotation(ConfigMapping.class).prefix() + ".", properties);

        assertThat(properties).contains("quarkus.ambrosia.checkpoint.interval-records", "quarkus.ambrosia.kafka");
        for (String property : properties) {
            assertThat(guide).as("docs/guide.md documents %s", property).contains("`" + property);
        }
    }

    private static void collect(Class<?> group, String prefix, List<String> properties) {
        for (Method method : group.getDeclaredMethods()) {
            if (method.isDefault() || method.isSynthetic() || method.getParameterCount() > 0) {
                continue;
            }
            String name = prefix + kebab(method.getName());
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == group) {
                collect(type, name + ".", properties);
            } else {
                // a map is documented by its prefix: quarkus.ambrosia.kafka."<property>"
                properties.add(name);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
