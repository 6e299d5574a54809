package io.quarkiverse.ambrosia.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.ambrosia.testing.AppProcess;

/**
 * The baseline of scenario 5: a Restate server and the Restate counter endpoint of {@code benchmarks/restate}, each a
 * process of its own, the endpoint registered with the server as a deployment. The server is the native binary of
 * the npm package {@code @restatedev/restate-server} (installed by {@code benchmarks/run}), a single node with every
 * role, its default configuration (the development profile) but for where it listens and stores: loopback ports of
 * its own, TCP only, a new base directory under the run's work directory (deleted when it stops), and no telemetry.
 */
final class Restate implements AutoCloseable {

    /** Printed by {@code RestateCounterMain}, followed by the port, when the endpoint listens. */
    static final String LISTENING = "restate counter endpoint listening on port ";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration POLL = Duration.ofMillis(100);

    private final Path baseDir;
    private AppProcess endpoint;
    private AppProcess server;
    private String ingress;
    private String version;

    private Restate(Path baseDir) {
        this.baseDir = baseDir;
    }

    /**
     * @param packages the {@code node_modules} directory the npm package was installed into
     * @return the server binary of this platform's package, as the package's own launcher finds it
     */
    static Path serverBinary(Path packages) {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        String platform = (os.contains("mac") ? "darwin" : "linux") + "-"
                + (arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x64");
        return packages.resolve("@restatedev").resolve("restate-server-" + platform).resolve("bin")
                .resolve("restate-server");
    }

    /**
     * @return the server's environment: its configuration, as {@code RESTATE_*} overrides of the defaults
     */
    static Map<String, String> serverEnvironment(int ingressPort, int adminPort, int fabricPort) {
        return Map.of("RESTATE_INGRESS__BIND_ADDRESS", "127.0.0.1:" + ingressPort,
                "RESTATE_ADMIN__BIND_ADDRESS", "127.0.0.1:" + adminPort,
                "RESTATE_BIND_ADDRESS", "127.0.0.1:" + fabricPort,
                // TCP is all the harness uses: no Unix sockets (a default) in the base directory
                "RESTATE_LISTEN_MODE", "tcp",
                "RESTATE_DISABLE_TELEMETRY", "true",
                "RESTATE_LOG_DISABLE_ANSI_CODES", "true");
    }

    /**
     * Starts the endpoint and the server, registers the endpoint, and waits until the ingress runs the counter.
     * Whatever was started is stopped again if a step fails.
     *
     * @param serverBinary the {@code restate-server} executable
     * @param endpointJar {@code benchmarks/restate/target/quarkus-ambrosia-benchmarks-restate.jar}
     * @param work where the base directory and the logs go
     * @param timeout how long each step may take
     */
    static Restate start(Path serverBinary, Path endpointJar, Path work, Duration timeout)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(serverBinary)) {
            throw new IllegalStateException("No Restate server at " + serverBinary + ": benchmarks/run installs it"
                    + " (npm install --prefix benchmarks/target/restate @restatedev/restate-server@<version>)");
        }
        int endpointPort = AppProcess.freePort();
        Restate restate = new Restate(work.resolve("restate-" + endpointPort));
        try {
            restate.endpoint = AppProcess.builder(endpointJar).jvmArg("-Xmx2g").arg(Integer.toString(endpointPort))
                    .outputFile(work.resolve("restate-endpoint-" + endpointPort + ".log")).start();
            restate.endpoint.awaitLogLine(LISTENING, timeout);

            int ingressPort = AppProcess.freePort();
            int adminPort = AppProcess.freePort();
            int fabricPort = AppProcess.freePort();
            AppProcess.Builder server = AppProcess.builder(serverBinary).arg("--no-logo")
                    .arg("--base-dir").arg(restate.baseDir.toAbsolutePath().toString()).arg("--node-name").arg("bench")
                    .outputFile(work.resolve("restate-server-" + adminPort + ".log"));
            serverEnvironment(ingressPort, adminPort, fabricPort).forEach(server::env);
            restate.server = server.start();
            String admin = "http://127.0.0.1:" + adminPort;
            restate.ingress = "http://127.0.0.1:" + ingressPort;
            restate.server.awaitHttp(admin + "/health", 200, timeout);
            restate.server.awaitHttp(restate.ingress + "/restate/health", 200, timeout);
            String version = restate.server.awaitHttp(admin + "/version", 200, timeout);
            restate.version = new ObjectMapper().readTree(version).path("version").asText(version);

            HttpResponse<String> registered = send(post(admin + "/deployments", "application/json",
                    "{\"uri\": \"http://127.0.0.1:" + endpointPort + "\"}"));
            if (registered.statusCode() / 100 != 2) {
                throw new IllegalStateException("Restate did not register the counter endpoint: "
                        + registered.statusCode() + " " + registered.body());
            }
            restate.awaitCounter(timeout);
            return restate;
        } catch (IOException | InterruptedException | RuntimeException e) {
            restate.close();
            throw e;
        }
    }

    /**
     * Registration reaches the ingress a moment later: until then it answers that the service is unknown.
     */
    private void awaitCounter(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = send(post(counterUrl("warm-up"), "application/json", "\"x\""));
            if (last.statusCode() == 200) {
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("Restate's ingress did not run Counter/add within " + timeout + "; last answer "
                + last.statusCode() + " " + last.body());
    }

    /**
     * @param key the virtual object's key
     * @return the ingress URL that calls {@code Counter.add} of that object and waits for its result
     */
    String counterUrl(String key) {
        return ingress + "/Counter/" + key + "/add";
    }

    /**
     * @return the server's version, as its admin API's {@code /version} says
     */
    String version() {
        return version;
    }

    /**
     * Stops the server (SIGTERM, then by force), then the endpoint, and deletes the server's base directory.
     */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (Files.exists(baseDir)) {
            try (Stream<Path> paths = Files.walk(baseDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete Restate's base directory " + baseDir, e);
            }
        }
    }

    private static HttpRequest post(String url, String contentType, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
