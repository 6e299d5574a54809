package io.quarkiverse.ambrosia.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

class AppProcessTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void killRestartAndStop(@TempDir Path dir) throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        Path output = dir.resolve("app.log");
        try (AppProcess app = AppProcess.builder(echoAppJar(dir))
                .systemProperty("echo.port", Integer.toString(port))
                .systemProperty("echo.runs", dir.resolve("runs").toString())
                .env("ECHO_GREETING", "hello")
                .outputFile(output)
                .start()) {
            assertThat(app.awaitLogLine("greeting=hello", TIMEOUT)).contains("run=1");
            assertThat(app.awaitHttp("http://127.0.0.1:" + port + "/", 200, TIMEOUT)).isEqualTo("ok");
            long firstPid = app.pid();

            app.kill9();
            assertThat(app.isAlive()).isFalse();
            assertThat(app.exitCode()).isEqualTo(137);

            app.start();
            assertThat(app.pid()).isNotEqualTo(firstPid);
            // Only the current run counts: the first run's line must not satisfy this.
            assertThat(app.awaitLogLine("greeting=hello", TIMEOUT)).contains("run=2");
            app.awaitHttp("http://127.0.0.1:" + port + "/", 200, TIMEOUT);

            app.stop();
            assertThat(app.isAlive()).isFalse();
            assertThat(app.exitCode()).isEqualTo(143);
            assertThatThrownBy(() -> app.awaitLogLine("never printed", Duration.ofSeconds(1)))
                    .hasMessageContaining("exited with code 143");
        }
        assertThat(Files.readString(output)).contains("run=1").contains("run=2");
    }

    // A jar holding only a manifest that runs EchoApp from this module's test classes.
    private static Path echoAppJar(Path dir) throws IOException, URISyntaxException {
        Path classes = Path.of(EchoApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, EchoApp.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classes.toUri().toString());
        Path jar = dir.resolve("echo-app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }

    /**
     * The application under test: logs a line, serves HTTP, and counts its runs in a file.
     */
    public static final class EchoApp {
        public static void main(String[] args) throws Exception {
            HttpServer server = HttpServer.create(
                    new InetSocketAddress("127.0.0.1", Integer.getInteger("echo.port")), 0);
            server.createContext("/", exchange -> {
                byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            Path runs = Path.of(System.getProperty("echo.runs"));
            int run = Files.exists(runs) ? Integer.parseInt(Files.readString(runs)) + 1 : 1;
            Files.writeString(runs, Integer.toString(run));
            System.out.println("echo app started run=" + run + " greeting=" + System.getenv("ECHO_GREETING"));
            Thread.currentThread().join();
        }
    }
}
