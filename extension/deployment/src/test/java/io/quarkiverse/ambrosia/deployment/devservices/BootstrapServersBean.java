package io.quarkiverse.ambrosia.deployment.devservices;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the application under test sees of the Kafka address.
 */
@ApplicationScoped
public class BootstrapServersBean {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
