package io.quarkiverse.ambrosia.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs a main class of this harness as a process of its own, with the harness's class path.
 */
final class JavaProcess {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JavaProcess() {
    }

    static ProcessBuilder builder(Class<?> main, List<String> jvmArgs, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    /**
     * Runs a load generator to its end and returns what it measured.
     *
     * @throws IllegalStateException with its output if it fails or prints no result
     */
    static Map<String, Double> load(Path output, String... args) throws IOException, InterruptedException {
        // only this run's lines count: the file holds the earlier runs' too
        int before = Files.exists(output) ? Files.readAllLines(output, StandardCharsets.UTF_8).size() : 0;
        Process process = builder(LoadMain.class, List.of("-Xmx1g"), args)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("load generator " + List.of(args) + " did not finish; see " + output);
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= before && process.exitValue() == 0; i--) {
            if (lines.get(i).startsWith(LoadMain.RESULT)) {
                return JSON.readValue(lines.get(i).substring(LoadMain.RESULT.length()), new TypeReference<>() {
                });
            }
        }
        throw new IllegalStateException("load generator " + List.of(args) + " exited with " + process.exitValue()
                + " and no result (output from line " + (before + 1) + " of " + output + ")");
    }

    /**
     * The broker process: started, and its bootstrap servers read from its first line.
     */
    static final class Broker implements AutoCloseable {
        final Process process;
        final String bootstrapServers;
        private final OutputStream stdin;

        Broker(Path output) throws IOException {
            process = builder(BrokerMain.class, List.of("-Xmx2g")).redirectErrorStream(true).start();
            stdin = process.getOutputStream();
            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String found = null;
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("BOOTSTRAP=")) {
                    found = line.substring("BOOTSTRAP=".length());
                    break;
                }
                seen.append(line).append('\n');
            }
            if (found == null) {
                throw new IllegalStateException("the broker exited before serving:\n" + seen);
            }
            bootstrapServers = found;
            Files.writeString(output, seen);
            // keep draining its output so it never blocks on a full pipe
            Thread drain = new Thread(() -> {
                try (var out = Files.newOutputStream(output, java.nio.file.StandardOpenOption.APPEND)) {
                    process.getInputStream().transferTo(out);
                } catch (IOException e) {
                    // the broker stopped
                }
            }, "broker-output");
            drain.setDaemon(true);
            drain.start();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            stdin.close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
