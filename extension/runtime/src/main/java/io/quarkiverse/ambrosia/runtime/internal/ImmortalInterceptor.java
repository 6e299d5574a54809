package io.quarkiverse.ambrosia.runtime.internal;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

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
            throw new UnsupportedOperationException("Immortal " + current.immortal().name + " calls "
                    + handler.qualifiedName + " from a handler: calls between immortals are not supported yet");
        }
        if (handler.readOnly()) {
            return immortal.read(handler, context);
        }
        return immortal.call(handler, context.getParameters());
    }
}
