package io.quarkiverse.ambrosia.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.quarkiverse.ambrosia.testing.AppProcess;
import io.quarkiverse.ambrosia.testing.EmbeddedKafkaBroker;

/**
 * The integration-test application, run as a separate process against the test JVM's broker, with topics of its own.
 */
final class TestApp implements AutoCloseable {

    static final Duration READY = Duration.ofSeconds(90);

    final String prefix;
    final String base;
    final AppProcess process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private TestApp(String prefix, AppProcess process, int port) {
        this.prefix = prefix;
        this.process = process;
        this.base = "http://localhost:" + port;
    }

    static String newPrefix(String test) {
        return test + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    }

    static String bootstrapServers() {
        return EmbeddedKafkaBroker.sharedBootstrapServers();
    }

    /**
     * Starts the application and waits until it is ready: every immortal recovered and live.
     */
    static TestApp start(String prefix, Map<String, String> config) throws IOException {
        return start(prefix, bootstrapServers(), config);
    }

    /**
     * Starts the application against the given broker and waits until it is ready.
     */
    static TestApp start(String prefix, String bootstrapServers, Map<String, String> config) throws IOException {
        int port = AppProcess.freePort();
        Path output = Files.createDirectories(Path.of("target", "it-logs")).resolve(prefix + port + ".log");
        AppProcess.Builder builder = AppProcess.builder(Path.of(System.getProperty("app.jar")))
                .jvmArg("-Xmx2g")
                .systemProperty("kafka.bootstrap.servers", bootstrapServers)
                .systemProperty("quarkus.ambrosia.topic-prefix", prefix)
                .systemProperty("quarkus.http.port", Integer.toString(port))
                // static membership in the keyed immortal's group: a restart takes the partitions back without waiting
                // for the killed run's session to time out
                .systemProperty("quarkus.ambrosia.instance-id", "it-" + port)
                .outputFile(output);
        config.forEach(builder::systemProperty);
        TestApp app = new TestApp(prefix, builder.build(), port);
        app.process.start();
        app.awaitReady();
        return app;
    }

    void awaitReady() {
        process.awaitHttp(base + "/q/health/ready", 200, READY);
    }

    void restart() {
        process.start();
        awaitReady();
    }

    HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<String> post(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return send(request);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return base;
    }

    @Override
    public void close() {
        process.close();
    }

}
