package io.quarkiverse.ambrosia.deployment.calls;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.deployment.TestApps;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;

/**
 * A call waits for the log and the dispatcher, so a synchronous one must not block an event loop: it fails fast with
 * the fix. A call to a method returning {@code Uni} or {@code CompletionStage} does not wait: from an event loop it is
 * recorded and answered back on the caller's context, from any other thread on a worker, never on the dispatcher.
 */
public class EventLoopCallTest {

    @RegisterExtension
    static final QuarkusUnitTest TEST = TestApps.withImmortals("event-loop-test.", Counter.class, Tally.class,
            Endpoints.class);

    @Inject
    Tally tally;

    @Test
    void aCallFromAnEventLoopFailsWithTheFix() {
        given().post("/non-blocking").then().statusCode(409)
                .body(containsString("Call to Counter.add on an I/O thread"),
                        containsString("annotate it with @Blocking"), containsString("return Uni<T>"));
    }

    @Test
    void aCallFromAWorkerThreadRuns() {
        given().post("/blocking").then().statusCode(200).body(equalTo("3"));
    }

    @Test
    void anAsynchronousCallFromAnEventLoopContinuesThere() {
        long before = tally.count();
        given().post("/non-blocking-uni").then().statusCode(200).body(equalTo((before + 1) + " on an event loop"));
        given().post("/non-blocking-stage").then().statusCode(200).body(equalTo((before + 2) + " on an event loop"));
        // and a handler's failure comes back as the call's
        given().post("/non-blocking-refused").then().statusCode(409).body(equalTo("no tally below zero"));
    }

    @Test
    void anAsynchronousCallFromAPlainThreadContinuesOnAWorker() throws Exception {
        // the handler waits until the continuation is attached, so it cannot run on this thread when already complete
        Tally.GATE.set(new CountDownLatch(1));
        CompletableFuture<String> ranOn = new CompletableFuture<>();
        CompletionStage<Long> call = tally.later(10);
        call.whenComplete((value, failure) -> ranOn.complete(Thread.currentThread().getName()));
        Tally.GATE.get().countDown();
        String thread = ranOn.get(30, TimeUnit.SECONDS);
        assertFalse(thread.startsWith("ambrosia-dispatcher"), thread);
        assertFalse(thread.equals(Thread.currentThread().getName()), thread);
        Long value = call.toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertNotNull(value);
        assertEquals(value.longValue(), tally.count());
    }

    @Immortal
    public static class Tally {
        static final java.util.concurrent.atomic.AtomicReference<CountDownLatch> GATE = new java.util.concurrent.atomic.AtomicReference<>(
                new CountDownLatch(0));

        long count;

        public Uni<Long> add(long n) {
            if (count + n < 0) {
                return Uni.createFrom().failure(new IllegalArgumentException("no tally below zero"));
            }
            count += n;
            return Uni.createFrom().item(count);
        }

        public CompletionStage<Long> later(long n) throws InterruptedException {
            GATE.get().await(30, TimeUnit.SECONDS);
            count += n;
            return CompletableFuture.completedFuture(count);
        }

        @io.quarkiverse.ambrosia.ReadOnly
        public long count() {
            return count;
        }
    }

    @Path("/")
    public static class Endpoints {

        @Inject
        Counter counter;

        @Inject
        Tally tally;

        @POST
        @Path("non-blocking")
        @NonBlocking
        public long nonBlocking() {
            return counter.add(1);
        }

        @POST
        @Path("blocking")
        @Blocking
        public long blocking() {
            return counter.add(3);
        }

        @POST
        @Path("non-blocking-uni")
        @NonBlocking
        public Uni<String> nonBlockingUni() {
            return tally.add(1).map(EventLoopCallTest::where);
        }

        @POST
        @Path("non-blocking-stage")
        @NonBlocking
        public CompletionStage<String> nonBlockingStage() {
            return tally.add(1).subscribeAsCompletionStage().thenApply(EventLoopCallTest::where);
        }

        @POST
        @Path("non-blocking-refused")
        @NonBlocking
        public Uni<Long> nonBlockingRefused() {
            return tally.add(-1_000_000);
        }

        @ServerExceptionMapper
        public Response illegalState(IllegalStateException e) {
            return Response.status(409).entity(e.getMessage()).build();
        }

        @ServerExceptionMapper
        public Response illegalArgument(IllegalArgumentException e) {
            return Response.status(409).entity(e.getMessage()).build();
        }
    }

    static String where(long value) {
        return value + (Context.isOnEventLoopThread() ? " on an event loop" : " on " + Thread.currentThread().getName());
    }
}
