package io.quarkiverse.ambrosia.it;

import java.util.Map;
import java.util.TreeMap;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.ReadOnly;

/**
 * Answers in the iteration order of its state: declared {@code Map}, started as a {@code TreeMap}, which a restore
 * must keep.
 */
@Immortal
@Path("/ranking")
@Produces(MediaType.TEXT_PLAIN)
public class Ranking {

    Map<String, Long> points = new TreeMap<>();

    @POST
    @Path("/{name}")
    @Impulse
    public String add(@PathParam("name") String name) {
        points.merge(name, 1L, Long::sum);
        return names();
    }

    @GET
    @ReadOnly
    public String names() {
        return String.join(",", points.keySet());
    }
}
