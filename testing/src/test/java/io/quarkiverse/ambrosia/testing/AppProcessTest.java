package io.quarkiverse.ambrosia.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppProcessTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void killRestartAndStop(@TempDir Path dir) throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        Path output = dir.resolve("app.log");
        try (AppProcess app = AppProcess.builder(EchoApp.jar(dir))
                .systemProperty("echo.port", Integer.toString(port))
                .systemProperty("echo.runs", dir.resolve("runs").toString())
                .env("ECHO_GREETING", "hello")
                .arg("first")
                .arg("second arg")
                .outputFile(output)
                .start()) {
            assertThat(app.awaitLogLine("greeting=hello", TIMEOUT)).contains("run=1").contains("args=first,second arg");
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

    @Test
    void pauseAndResume(@TempDir Path dir) throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        try (AppProcess app = AppProcess.builder(EchoApp.jar(dir))
                .systemProperty("echo.port", Integer.toString(port))
                .systemProperty("echo.runs", dir.resolve("runs").toString())
                .outputFile(dir.resolve("app.log"))
                .start()) {
            URI url = URI.create("http://127.0.0.1:" + port + "/");
            app.awaitHttp(url.toString(), 200, TIMEOUT);
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(1)).build();

            app.pause();
            // stopped, not gone: the kernel still accepts the connection, nothing answers the request
            assertThat(app.isAlive()).isTrue();
            assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);

            app.resume();
            assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
        }
    }
}
