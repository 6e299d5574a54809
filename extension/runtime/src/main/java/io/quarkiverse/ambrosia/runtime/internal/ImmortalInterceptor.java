package io.quarkiverse.ambrosia.runtime.internal;

import java.util.concurrent.CompletableFuture;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import io.smallrye.mutiny.Uni;

/**
 * Turns a call into an immortal into a log record. The innermost interceptor: the caller's other interceptors
 * (security, metrics) run before the call is recorded.
 */
@ImmortalInvocation
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 900)
public class ImmortalInterceptor {

    @Inject
    ImmortalRuntime runtime;

    @AroundInvoke
    Object invoke(InvocationContext context) throws Exception {
        ImmortalInstance immortal = runtime.immortalOf(context.getTarget().getClass());
        Handler handler = immortal == null ? null : immortal.handlerFor(context.getMethod());
        if (handler == null) {
            return context.proceed();
        }
        HandlerContext current = HandlerContext.current();
        if (current != null) {
            if (current.immortal() == immortal) {
                // the dispatcher running a record, or the immortal calling itself through its proxy
                return context.proceed();
            }
            if (handler.readOnly()) {
                throw new IllegalStateException("Immortal " + current.immortal().name + " reads " + handler.qualifiedName
                        + " from a handler: another immortal's local state is not part of this one's log, so a replay"
                        + " would read another value; make it a logged method returning Uni<T>");
            }
            // a call between immortals: recorded in the callee's log in the caller's transaction
            return current.immortal().callImmortal(immortal.name, handler, context.getParameters());
        }
        if (handler.readOnly()) {
            return immortal.read(handler, context);
        }
        if (!handler.returns.async()) {
            return immortal.call(handler, context.getParameters());
        }
        // the call is recorded now and its outcome awaited here (impulse endpoints run on a worker thread); the caller
        // gets it as the Uni or CompletionStage it expects
        Object value;
        try {
            value = immortal.call(handler, context.getParameters());
        } catch (Exception e) {
            return handler.returns == Handler.Returns.UNI
                    ? Uni.createFrom().failure(e)
                    : CompletableFuture.failedFuture(e);
        }
        return handler.returns == Handler.Returns.UNI
                ? Uni.createFrom().item(value)
                : CompletableFuture.completedFuture(value);
    }
}
