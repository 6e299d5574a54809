package io.quarkiverse.ambrosia.benchmarks.restate;

import dev.restate.sdk.endpoint.Endpoint;
import dev.restate.sdk.http.vertx.RestateHttpServer;

/**
 * Serves the {@link Counter} virtual object to a Restate server over HTTP (the SDK's Vert.x endpoint), for the
 * Restate scenario of docs/benchmarks.md. The Restate server is a process of its own; the harness registers this
 * endpoint with it ({@code POST /deployments} on its admin port) once {@value #LISTENING} is printed.
 *
 * <pre>
 * java -jar benchmarks/restate/target/quarkus-ambrosia-benchmarks-restate.jar 9080
 * </pre>
 *
 * Runs until it is terminated.
 */
public final class RestateCounterMain {

    /** Printed, followed by the port, when the endpoint listens. */
    public static final String LISTENING = "restate counter endpoint listening on port ";

    private RestateCounterMain() {
    }

    /**
     * @param args the port to listen on (the SDK's default, 9080, if none)
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9080;
        int listening = RestateHttpServer.listen(Endpoint.bind(new Counter()), port);
        System.out.println(LISTENING + listening);
        System.out.flush();
    }
}
