package io.quarkiverse.ambrosia.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What of scenario 5's set-up can be checked without a Restate server (which only benchmarks/run installs).
 */
class RestateTest {

    @Test
    void theServerIsThePlatformBinaryOfTheNpmPackage() {
        assertThat(Restate.serverBinary(Path.of("node_modules")).toString().replace('\\', '/'))
                .matches("node_modules/@restatedev/restate-server-(linux|darwin)-(x64|arm64)/bin/restate-server");
    }

    @Test
    void theServerListensOnLoopbackPortsOfItsOwnOnly() {
        assertThat(Restate.serverEnvironment(1, 2, 3))
                .containsEntry("RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:1")
                .containsEntry("RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:2")
                .containsEntry("RESTATE_BIND_ADDRESS", "127.0.0.1:3")
                .containsEntry("RESTATE_LISTEN_MODE", "tcp");
    }

    @Test
    void aMissingServerSaysHowToInstallItAndStartsNothing(@TempDir Path work) throws Exception {
        assertThatThrownBy(() -> Restate.start(work.resolve("restate-server"), work.resolve("endpoint.jar"), work,
                Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("npm install --prefix benchmarks/target/restate @restatedev/restate-server");
        try (var files = Files.list(work)) {
            assertThat(files).isEmpty();
        }
    }
}
