package io.quarkiverse.ambrosia.deployment.impulses;

import java.util.List;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import io.quarkiverse.ambrosia.Immortal;
import io.quarkiverse.ambrosia.Impulse;

@Immortal
@Path("/shops")
public class Shop {

    long orders;

    public record Order(String item, int count, List<Integer> sizes) {
    }

    @POST
    @Path("/{shop}/orders")
    @Impulse
    public long order(@PathParam("shop") long shop, @QueryParam("priority") Integer priority,
            @HeaderParam("Client-Version") Integer clientVersion, Order order) {
        return ++orders;
    }
}
