package io.quarkiverse.ambrosia.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import com.sun.net.httpserver.HttpServer;

/**
 * A tiny application for {@link AppProcess} to run: counts its runs in a file, logs a line with its arguments (which,
 * like an Ambrosia application starting, says it is {@value KillUnderLoad#RECOVERING} something), then serves "ok"
 * over HTTP.
 */
public final class EchoApp {

    /**
     * @param dir where to write the jar
     * @return a jar holding only a manifest that runs this class from this module's test classes
     */
    static Path jar(Path dir) throws IOException, URISyntaxException {
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

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.getInteger("echo.port")), 0);
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        Path runs = Path.of(System.getProperty("echo.runs"));
        int run = Files.exists(runs) ? Integer.parseInt(Files.readString(runs)) + 1 : 1;
        Files.writeString(runs, Integer.toString(run));
        // before serving: a run that answered has counted itself and logged
        System.out.println("echo app started run=" + run + " greeting=" + System.getenv("ECHO_GREETING")
                + " args=" + String.join(",", args) + ", recovering from nothing");
        server.start();
        Thread.currentThread().join();
    }
}
