package io.quarkiverse.ambrosia.runtime.rest;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkiverse.ambrosia.ImmortalUnavailableException;
import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.internal.answer.Outcome;
import io.quarkiverse.ambrosia.runtime.internal.task.LocalImmortal;

/**
 * Where the outcome of an accepted ({@code 202}) or keyed call can be fetched, or awaited with
 * {@code Prefer: wait=<seconds>}: the same answer a synchronous call would have had. Outcomes live in the immortal's
 * checkpointed state, so they survive restarts, for the idempotency retention; a keyed immortal's are asked of the
 * instance that runs their partition, wherever that is.
 */
@Path(ImpulseResource.PATH)
@Singleton
public class ImpulseResource {

    static final String PATH = "ambrosia/impulses";
    private static final long MAX_WAIT_SECONDS = 60;

    @Inject
    ImmortalRuntime runtime;

    @GET
    @Path("{immortal}/{key}")
    public Response outcome(@PathParam("immortal") String name, @PathParam("key") String key,
            @QueryParam("partition") @DefaultValue("0") int partition, @HeaderParam("Prefer") List<String> prefer)
            throws Exception {
        LocalImmortal immortal = runtime.immortal(name);
        if (immortal == null) {
            return Problems.problem(404, "unknown-immortal", "Unknown immortal", "no immortal is named '" + name + "'")
                    .build();
        }
        if (partition < 0 || partition >= immortal.type().partitions()) {
            return Problems.problem(404, "unknown-partition", "Unknown partition", "immortal " + name + " has "
                    + immortal.type().partitions() + " partition(s), not a partition " + partition).build();
        }
        Outcome outcome;
        try {
            outcome = immortal.awaitOutcome(key, partition, Duration.ofSeconds(waitSeconds(prefer)));
        } catch (ImmortalUnavailableException e) {
            // another instance runs the partition and did not answer
            return Problems.problem(503, "outcome-unavailable", "Outcome not fetched", e.getMessage())
                    .header("Retry-After", "1").build();
        }
        return switch (outcome.state()) {
            case DONE -> done(outcome);
            case FAILED -> throw outcome.failure();
            case RUNNING -> Response.accepted().header("Retry-After", "1").build();
            case UNKNOWN -> Problems.problem(404, "unknown-impulse", "Unknown impulse", "immortal " + name
                    + " holds no outcome for key '" + key + "': it was never recorded, or is older than the idempotency"
                    + " retention").build();
        };
    }

    private static Response done(Outcome outcome) {
        if (outcome.status() == null) {
            return Response.ok(outcome.result(), MediaType.APPLICATION_JSON).build();
        }
        // the RestResponse the handler returned: its status, headers and entity
        Response.ResponseBuilder response = Response.status(outcome.status());
        if (outcome.result() != null) {
            response.entity(outcome.result()).type(MediaType.APPLICATION_JSON);
        }
        RecordedResponses.addHeaders(outcome.headers(), response::header);
        return response.build();
    }

    /**
     * RFC 7240 {@code Prefer: wait=<seconds>}, at most {@value #MAX_WAIT_SECONDS}.
     */
    static long waitSeconds(List<String> prefer) {
        String wait = Preferences.value(prefer, "wait");
        if (wait == null) {
            return 0;
        }
        try {
            return Math.min(MAX_WAIT_SECONDS, Math.max(0, Long.parseLong(wait)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
