package io.quarkiverse.ambrosia.deployment.devservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.devservices.crossclassloader.runtime.RunningDevServicesRegistry;
import io.quarkus.devservices.crossclassloader.runtime.RunningService;
import io.quarkus.test.QuarkusDevModeTest;
import io.restassured.RestAssured;

class EmbeddedKafkaDevModeTest {

    // A free port instead of dev mode's fixed 8080, which another build on the machine may hold.
    private static final int HTTP_PORT = freePort();
    private static final Path LOG_DIR = Path.of("target", "dev-mode-test-kafka").toAbsolutePath();
    private static String bootstrapServers;

    @RegisterExtension
    static final QuarkusDevModeTest TEST = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClass(BootstrapServersResource.class)
                    .addAsResource(new StringAsset("quarkus.http.port=" + HTTP_PORT + "\n"
                            + "quarkus.ambrosia.devservices.log-dir=" + LOG_DIR + "\n"), "application.properties"))
            .setLogRecordPredicate(record -> record.getLevel().intValue() >= Level.WARNING.intValue());

    @Test
    void brokerIsPersistentAndSurvivesLiveReload() throws Exception {
        RestAssured.port = HTTP_PORT;
        bootstrapServers = RestAssured.get("/bootstrap-servers").then().statusCode(200).extract().asString();
        RunningService broker = ambrosiaService();
        assertThat(broker.configs()).containsEntry(AmbrosiaDevServicesProcessor.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
        String clusterId;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
        assertThat(LOG_DIR.resolve("ambrosia-cluster.id")).hasContent(clusterId);

        TEST.modifyResourceFile("application.properties", properties -> properties + "greeting=changed\n");

        assertThat(RestAssured.get("/bootstrap-servers").then().statusCode(200).extract().asString())
                .isEqualTo(bootstrapServers);
        assertThat(ambrosiaService()).isSameAs(broker);
        // Dev mode probes Docker for every Dev Service it lists; without Docker that must stay silent for ours.
        assertThat(TEST.getLogRecords())
                .extracting(record -> record.getLoggerName() + ": " + record.getMessage())
                .noneMatch(message -> message.toLowerCase().contains("docker"));
    }

    @AfterAll
    static void brokerStopsWithDevMode() {
        String[] hostAndPort = bootstrapServers.split(":");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1])), 1000);
            throw new AssertionError("The dev-mode broker still listens on " + bootstrapServers);
        } catch (IOException expected) {
            // refused: the broker is gone
        }
        assertThat(Files.exists(LOG_DIR.resolve("kraft").resolve("meta.properties"))).isTrue();
    }

    private static RunningService ambrosiaService() {
        return RunningDevServicesRegistry.INSTANCE.getAllRunningServices("DEVELOPMENT").stream()
                .filter(service -> service.feature().equals(AmbrosiaDevServicesProcessor.FEATURE))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No Ambrosia Dev Service is running"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
