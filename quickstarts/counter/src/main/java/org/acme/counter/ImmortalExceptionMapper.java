package org.acme.counter;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import io.quarkiverse.ambrosia.ImmortalException;
import io.quarkiverse.ambrosia.ImmortalPendingException;

/**
 * 503 when the call could not be recorded (retry later); 504 when it was recorded but its result is not available
 * here (it will still run, exactly once).
 */
@Provider
public class ImmortalExceptionMapper implements ExceptionMapper<ImmortalException> {

    @Override
    public Response toResponse(ImmortalException exception) {
        int status = exception instanceof ImmortalPendingException ? 504 : 503;
        return Response.status(status).entity(exception.getMessage()).header("Retry-After", "1").build();
    }
}
