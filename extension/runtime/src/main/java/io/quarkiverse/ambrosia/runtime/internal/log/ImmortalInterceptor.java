package io.quarkiverse.ambrosia.runtime.internal.log;

import java.util.concurrent.CompletableFuture;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import io.quarkiverse.ambrosia.runtime.internal.ImmortalRuntime;
import io.quarkiverse.ambrosia.runtime.internal.dispatch.HandlerContext;
import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.task.LocalImmortal;
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
    public ImmortalRuntime runtime;

    @AroundInvoke
    public Object invoke(InvocationContext context) throws Exception {
        LocalImmortal immortal = runtime.immortalOf(context.getTarget().getClass());
        Handler handler = immortal == null ? null : immortal.handlerFor(context.getMethod());
        if (handler == null) {
            return context.proceed();
        }
        HandlerContext current = HandlerContext.current();
        if (current != null) {
            if (current.immortal() == immortal && !immortal.type().keyed()) {
                // the dispatcher running a record, or the immortal calling itself through its proxy
                return context.proceed();
            }
            // (a keyed immortal's records run on the key's instance, which has no interceptor: a call through the
            // proxy from one of its handlers is a call to another key, logged like a call between immortals)
            if (handler.readOnly()) {
                throw new IllegalStateException("Immortal " + current.immortal().name() + " reads " + handler.qualifiedName
                        + " from a handler: another immortal's local state is not part of this one's log, so a replay"
                        + " would read another value; make it a logged method returning Uni<T>");
            }
            // a call between immortals: recorded in the callee's log in the caller's transaction
            return current.immortal().callImmortal(immortal.name(), handler, context.getParameters());
        }
        if (handler.readOnly()) {
            return immortal.read(handler, context);
        }
        if (!handler.returns.async()) {
            return immortal.call(handler, context.getParameters());
        }
        // recorded now, answered when the dispatcher ran it: the caller's thread (an event loop, too) does not wait
        CompletableFuture<Object> outcome = immortal.callAsync(handler, context.getParameters());
        // a copy for each subscriber, so that one cancelling does not cancel the others' outcome
        return handler.returns == Handler.Returns.UNI ? Uni.createFrom().completionStage(outcome::copy) : outcome.copy();
    }
}
