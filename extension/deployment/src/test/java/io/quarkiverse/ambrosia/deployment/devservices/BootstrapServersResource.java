package io.quarkiverse.ambrosia.deployment.devservices;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Lets a dev-mode test, which cannot inject beans, ask the application for its Kafka address.
 */
@Path("/bootstrap-servers")
public class BootstrapServersResource {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @GET
    public String bootstrapServers() {
        return bootstrapServers;
    }
}
