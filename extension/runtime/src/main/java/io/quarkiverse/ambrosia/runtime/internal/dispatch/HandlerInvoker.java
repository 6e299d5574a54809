package io.quarkiverse.ambrosia.runtime.internal.dispatch;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.quarkiverse.ambrosia.runtime.internal.model.Handler;
import io.quarkiverse.ambrosia.runtime.internal.spi.CallScope;
import io.quarkiverse.ambrosia.runtime.internal.task.PartitionTask;
import io.smallrye.mutiny.Uni;

/**
 * Runs a handler with its record's context (and the caller's principal) current, and hands its outcome on: at once,
 * or for a {@code Uni} or {@code CompletionStage} result when it completes, which happens on the dispatcher while a
 * later reply is applied.
 */
public final class HandlerInvoker {

    private static final Logger LOG = Logger.getLogger(HandlerInvoker.class);

    private final String immortal;
    private final PartitionTask task;
    private final CallScope callScope;
    private final BooleanSupplier onDispatcher;

    public HandlerInvoker(String immortal, PartitionTask task, CallScope callScope, BooleanSupplier onDispatcher) {
        this.immortal = immortal;
        this.task = task;
        this.callScope = callScope;
        this.onDispatcher = onDispatcher;
    }

    /**
     * Runs the handler; the caller holds the write lock.
     *
     * @param instance what it runs on: the key's instance of a keyed immortal, else the bean (or {@code null}: the
     *        bean the invoker looks up)
     * @param then told the result or the failure, once
     */
    public void invoke(HandlerContext context, Handler handler, Object instance, Object[] arguments, String principal,
            BiConsumer<Object, Throwable> then) {
        Object result = null;
        Throwable failure = null;
        CompletableFuture<?> completion = null;
        HandlerContext.enter(context);
        try {
            result = callScope.run(principal, () -> handler.invoke(instance, arguments));
            if (handler.returns.async()) {
                // subscribed here, while the record's context is current: a deferred Uni may make its calls now
                completion = completion(handler, result);
            }
        } catch (StackOverflowError e) {
            failure = e;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            failure = e;
        } finally {
            HandlerContext.exit();
        }
        if (completion == null) {
            then.accept(result, failure);
            return;
        }
        if (completion.isDone()) {
            deliver(completion, then);
            return;
        }
        task.calls().invocationOpened();
        CompletableFuture<?> pendingCompletion = completion;
        completion.whenComplete((ignoredValue, ignoredFailure) -> {
            if (!onDispatcher.getAsBoolean()) {
                LOG.errorf("Immortal %s: the result of %s completed outside the dispatcher, so not deterministically; an"
                        + " asynchronous handler may only wait for calls to immortals. The outcome is dropped",
                        immortal, handler.qualifiedName);
                return;
            }
            task.calls().invocationClosed();
            deliver(pendingCompletion, then);
        });
    }

    private static CompletableFuture<?> completion(Handler handler, Object result) {
        if (result == null) {
            return CompletableFuture.failedFuture(new NullPointerException(handler.qualifiedName + " returned null"
                    + " instead of a " + (handler.returns == Handler.Returns.UNI ? "Uni" : "CompletionStage")));
        }
        return handler.returns == Handler.Returns.UNI
                ? ((Uni<?>) result).subscribeAsCompletionStage()
                : ((CompletionStage<?>) result).toCompletableFuture();
    }

    private static void deliver(CompletableFuture<?> completion, BiConsumer<Object, Throwable> then) {
        Object value;
        try {
            value = completion.join();
        } catch (CompletionException | CancellationException e) {
            then.accept(null, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            return;
        }
        then.accept(value, null);
    }
}
