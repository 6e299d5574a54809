package io.quarkiverse.ambrosia.it;

import java.security.NoSuchAlgorithmException;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class TestResource {

    @Inject
    Tally tally;

    @Inject
    Archive archive;

    @Inject
    Relay relay;

    @Inject
    Source source;

    @POST
    @Path("relay/fetch")
    public long fetch() {
        return relay.fetch().await().indefinitely();
    }

    @POST
    @Path("relay/fork/{n}")
    public int fork(@PathParam("n") int n) {
        return relay.fork(n);
    }

    @GET
    @Path("relay")
    public java.util.List<Long> seen() {
        return relay.seen();
    }

    @GET
    @Path("source")
    @Produces(MediaType.TEXT_PLAIN)
    public String counts() {
        return source.counts();
    }

    @POST
    @Path("tally/add/{n}")
    public long add(@PathParam("n") long n) {
        return tally.add(n);
    }

    @POST
    @Path("tally/add-positive/{n}")
    public long addPositive(@PathParam("n") long n) {
        return tally.addPositive(n);
    }

    @POST
    @Path("tally/stamp")
    @Produces(MediaType.TEXT_PLAIN)
    public String stamp() {
        return tally.stamp();
    }

    @GET
    @Path("tally")
    public Tally.Snapshot tally() {
        return tally.snapshot();
    }

    @POST
    @Path("archive/grow/{megabytes}")
    public int grow(@PathParam("megabytes") int megabytes) {
        return archive.grow(megabytes);
    }

    @GET
    @Path("archive/digest")
    @Produces(MediaType.TEXT_PLAIN)
    public String digest() throws NoSuchAlgorithmException {
        return archive.digest();
    }
}
