package io.quarkiverse.ambrosia.it;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;
import io.quarkiverse.ambrosia.ReadOnly;
import io.smallrye.mutiny.Uni;

/**
 * An immortal whose methods are REST endpoints.
 */
@Immortal
@Path("/ledger")
public class Ledger {

    List<String> entries = new ArrayList<>();

    @POST
    @Path("/{entry}")
    @Impulse
    public int append(@PathParam("entry") String entry) {
        entries.add(entry);
        return entries.size();
    }

    /** The same, answered on the event loop: the append is made there too. */
    @POST
    @Path("/async/{entry}")
    @Impulse
    public Uni<Integer> appendAsync(@PathParam("entry") String entry) {
        return Uni.createFrom().item(append(entry));
    }

    @GET
    @ReadOnly
    public List<String> entries() {
        return entries;
    }
}
