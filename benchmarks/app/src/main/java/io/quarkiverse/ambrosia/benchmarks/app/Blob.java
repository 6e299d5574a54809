package io.quarkiverse.ambrosia.benchmarks.app;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.ReadOnly;

/**
 * A state of a chosen size, for the recovery scenario: checkpoint size and time, and time from start to ready.
 */
@Immortal
@Path("/blob")
public class Blob {

    List<String> blocks = new ArrayList<>();

    /**
     * Adds {@code megabytes} blocks of one megabyte each (of one repeated character, derived from the count).
     */
    @POST
    @Path("/grow/{megabytes}")
    @Impulse
    public int grow(@PathParam("megabytes") int megabytes) {
        for (int i = 0; i < megabytes; i++) {
            blocks.add(String.valueOf((char) ('a' + blocks.size() % 26)).repeat(1024 * 1024));
        }
        return blocks.size();
    }

    @GET
    @ReadOnly
    public int size() {
        return blocks.size();
    }
}
