package io.quarkiverse.ambrosia.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * An application jar run in its own JVM, so a test can kill it like a real crash ({@link #kill9()}) and start it again.
 * <p>
 * Standard output and error go to one file, appended to across restarts; {@link #awaitLogLine(String, Duration)} only
 * looks at what the current run wrote.
 *
 * <pre>
 * try (AppProcess app = AppProcess.builder(jar).systemProperty("quarkus.http.port", "8081").start()) {
 *     app.awaitHttp("http://localhost:8081/q/health/ready", 200, Duration.ofSeconds(30));
 *     app.kill9();
 *     app.start();
 * }
 * </pre>
 */
public final class AppProcess implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AppProcess.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(25);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path jar;
    private final List<String> jvmArgs;
    private final Map<String, String> systemProperties;
    private final List<String> args;
    private final Map<String, String> env;
    private final Path outputFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Process process;
    private long outputStart;

    private AppProcess(Builder builder, Path outputFile) {
        this.jar = builder.jar;
        this.jvmArgs = List.copyOf(builder.jvmArgs);
        this.systemProperties = Map.copyOf(builder.systemProperties);
        this.args = List.copyOf(builder.args);
        this.env = Map.copyOf(builder.env);
        this.outputFile = outputFile;
    }

    /**
     * @return a TCP port that was free a moment ago, for an application's HTTP server
     */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }

    /**
     * @param jar the application jar, run with {@code java -jar} (e.g. {@code target/quarkus-app/quarkus-run.jar})
     * @return a builder
     */
    public static Builder builder(Path jar) {
        return new Builder(jar);
    }

    /**
     * Launches the application with the JVM running this code. Restarting after {@link #kill9()} or {@link #stop()}
     * is allowed.
     *
     * @return this
     * @throws IllegalStateException if the application is still running
     */
    public synchronized AppProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Application " + jar + " is already running as pid " + process.pid());
        }
        List<String> command = new ArrayList<>();
        if (jar.toString().endsWith(".jar")) {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmArgs);
            systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-jar");
            command.add(jar.toString());
        } else {
            // a native executable: system properties are its arguments, JVM options do not apply
            command.add(jar.toString());
            systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        }
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(outputFile.toFile()));
        builder.environment().putAll(env);
        try {
            outputStart = Files.exists(outputFile) ? Files.size(outputFile) : 0;
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command, e);
        }
        LOG.debugf("Started %s as pid %d, output in %s", jar, process.pid(), outputFile);
        return this;
    }

    /**
     * Waits until the current run has written a line containing {@code substring}.
     *
     * @param substring text to look for
     * @param timeout how long to wait at most
     * @return the first matching line
     * @throws IllegalStateException if the process exits or the timeout expires first; the message ends with the
     *         output of the run
     */
    public String awaitLogLine(String substring, Duration timeout) {
        long position;
        synchronized (this) {
            position = outputStart;
        }
        return awaitLine(substring, timeout, position);
    }

    /**
     * Waits until the current run writes a line containing {@code substring} after this call: lines written before it
     * do not count.
     *
     * @param substring text to look for
     * @param timeout how long to wait at most
     * @return the first matching line
     * @throws IllegalStateException if the process exits or the timeout expires first
     */
    public String awaitNextLogLine(String substring, Duration timeout) {
        requireStarted();
        long position;
        try {
            position = Files.exists(outputFile) ? Files.size(outputFile) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (this) {
            position = Math.max(position, outputStart);
        }
        return awaitLine(substring, timeout, position);
    }

    private String awaitLine(String substring, Duration timeout, long from) {
        Process current = requireStarted();
        long deadline = System.nanoTime() + timeout.toNanos();
        long position = from;
        StringBuilder partial = new StringBuilder();
        while (true) {
            // Read the exit state before the file, so that output written just before exiting is still seen.
            boolean exited = !current.isAlive();
            Chunk chunk = read(position);
            position += chunk.bytes();
            partial.append(chunk.text());
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, newline);
                partial.delete(0, newline + 1);
                if (line.contains(substring)) {
                    return line;
                }
            }
            if (exited) {
                if (partial.indexOf(substring) >= 0) {
                    return partial.toString();
                }
                throw new IllegalStateException("Application exited with code " + current.exitValue()
                        + " before logging '" + substring + "'. Output:\n" + tail());
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException(
                        "No line containing '" + substring + "' after " + timeout + ". Output:\n" + tail());
            }
            pause(current);
        }
    }

    /**
     * Polls {@code url} with GET until it answers {@code expectedStatus}.
     *
     * @param url the address to poll
     * @param expectedStatus the HTTP status to wait for
     * @param timeout how long to wait at most
     * @return the body of the matching response
     * @throws IllegalStateException if the process exits or the timeout expires first
     */
    public String awaitHttp(String url, int expectedStatus, Duration timeout) {
        Process current = requireStarted();
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
        String last = "no response";
        while (true) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == expectedStatus) {
                    return response.body();
                }
                last = "status " + response.statusCode() + ": " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while polling " + url, e);
            }
            if (!current.isAlive()) {
                throw new IllegalStateException("Application exited with code " + current.exitValue() + " while waiting for "
                        + url + " to answer " + expectedStatus + ". Output:\n" + tail());
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException("Timed out after " + timeout + " waiting for " + url + " to answer "
                        + expectedStatus + " (last: " + last + "). Output:\n" + tail());
            }
            pause(current);
        }
    }

    /**
     * Kills the application without warning ({@code SIGKILL} on Linux): no shutdown hook runs, like a crash. Returns
     * once the process is gone.
     */
    public synchronized void kill9() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit(process);
    }

    /**
     * Pauses the application ({@code SIGSTOP}): every thread stops where it is, as in a long GC pause or a frozen
     * machine, while its connections stay open. {@link #resume()} lets it go on.
     */
    public synchronized void pause() {
        signal("STOP");
    }

    /**
     * Lets a {@link #pause() paused} application go on ({@code SIGCONT}).
     */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        Process current = requireStarted();
        try {
            Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + current.pid()).inheritIO()
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + current.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot send SIG" + signal + " to pid " + current.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending SIG" + signal + " to pid " + current.pid(), e);
        }
    }

    /**
     * Asks the application to stop ({@code SIGTERM} on Linux), letting it shut down gracefully, and waits for it.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("Application pid %d did not stop within %s, killing it", process.pid(), STOP_TIMEOUT);
                kill9();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping pid " + process.pid(), e);
        }
    }

    /**
     * @return whether the current run is still going
     */
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * @return the process id of the current (or last) run
     */
    public synchronized long pid() {
        return requireStarted().pid();
    }

    /**
     * @return the exit code of the last run (137 after {@link #kill9()}, 143 after a {@link #stop()} that the
     *         application did not handle itself)
     * @throws IllegalStateException if the application was never started or is still running
     */
    public synchronized int exitCode() {
        Process current = requireStarted();
        if (current.isAlive()) {
            throw new IllegalStateException("Application pid " + current.pid() + " is still running");
        }
        return current.exitValue();
    }

    /**
     * @return the file receiving the application's standard output and error
     */
    public Path outputFile() {
        return outputFile;
    }

    /**
     * @return what the current run has written so far
     */
    public String output() {
        long start;
        synchronized (this) {
            start = outputStart;
        }
        return read(start).text();
    }

    private record Chunk(String text, int bytes) {
    }

    // Only whole UTF-8 sequences: a character split by a concurrent write is left for the next read.
    private Chunk read(long from) {
        try (RandomAccessFile file = new RandomAccessFile(outputFile.toFile(), "r")) {
            long length = file.length();
            if (length <= from) {
                return new Chunk("", 0);
            }
            byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, length - from)];
            file.seek(from);
            file.readFully(bytes);
            int end = bytes.length;
            int continuation = 0;
            while (end > 0 && continuation < 3 && (bytes[end - 1] & 0xC0) == 0x80) {
                end--;
                continuation++;
            }
            if (end > 0 && (bytes[end - 1] & 0x80) != 0) {
                int lead = bytes[end - 1] & 0xFF;
                int needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
                end = needed == continuation ? bytes.length : end - 1;
            } else {
                end = bytes.length;
            }
            return new Chunk(new String(bytes, 0, end, StandardCharsets.UTF_8), end);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + outputFile, e);
        }
    }

    /**
     * Stops the application (gracefully, then by force) if it runs.
     */
    @Override
    public void close() {
        if (isAlive()) {
            stop();
        }
    }

    private synchronized Process requireStarted() {
        if (process == null) {
            throw new IllegalStateException("Application " + jar + " was not started");
        }
        return process;
    }

    private String tail() {
        String output = output();
        int max = 4000;
        return output.length() <= max ? output : "..." + output.substring(output.length() - max);
    }

    private static void pause(Process process) {
        try {
            // Returns early when the process exits, so a crash is reported without waiting a whole interval.
            process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static void awaitExit(Process process) {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for pid " + process.pid() + " to exit", e);
        }
    }

    /**
     * Configures an {@link AppProcess}.
     */
    public static final class Builder {
        private final Path jar;
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path outputFile;

        private Builder(Path jar) {
            this.jar = jar;
        }

        /**
         * @param key a system property, passed as {@code -Dkey=value}
         * @param value its value
         * @return this builder
         */
        public Builder systemProperty(String key, String value) {
            systemProperties.put(key, value);
            return this;
        }

        /**
         * @param arg an argument of the application's {@code main}, placed after the jar (and after the system
         *        properties of a native executable)
         * @return this builder
         */
        public Builder arg(String arg) {
            args.add(arg);
            return this;
        }

        /**
         * @param key an environment variable of the application process
         * @param value its value
         * @return this builder
         */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /**
         * @param arg a JVM option placed before {@code -jar}, e.g. {@code -Xmx256m}
         * @return this builder
         */
        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        /**
         * @param outputFile the file receiving standard output and error, appended to; by default a new temporary file
         * @return this builder
         */
        public Builder outputFile(Path outputFile) {
            this.outputFile = outputFile;
            return this;
        }

        /**
         * @return the configured application, not started
         */
        public AppProcess build() {
            Path output = outputFile;
            try {
                if (output == null) {
                    output = Files.createTempFile("ambrosia-app-", ".log");
                } else if (output.getParent() != null) {
                    Files.createDirectories(output.getParent());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the output file " + output, e);
            }
            return new AppProcess(this, output);
        }

        /**
         * @return the application, started
         */
        public AppProcess start() {
            return build().start();
        }
    }
}
