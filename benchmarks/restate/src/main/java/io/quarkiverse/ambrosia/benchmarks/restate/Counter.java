package io.quarkiverse.ambrosia.benchmarks.restate;

import dev.restate.sdk.ObjectContext;
import dev.restate.sdk.annotation.Handler;
import dev.restate.sdk.annotation.VirtualObject;
import dev.restate.sdk.common.StateKey;

/**
 * The benchmark app's {@code RestCounter} immortal as a Restate virtual object: {@code add} counts calls and payload
 * characters and returns the new count. Both totals are one state entry, so each call journals one state write, as
 * the immortal updates its two fields together. The payload is a JSON string (the SDK's default serde), so a
 * 100-character payload is the same 100 characters the immortal's {@code text/plain} endpoint receives.
 * <p>
 * Called through Restate's ingress as {@code POST /Counter/<key>/add}; calls to one key run one at a time, in the
 * order Restate logged them, like the calls of one immortal.
 */
@VirtualObject
public class Counter {

    /** The count and the byte total of one counter. */
    public record Totals(long count, long bytes) {
    }

    private static final StateKey<Totals> TOTALS = StateKey.of("totals", Totals.class);

    @Handler
    public long add(ObjectContext context, String payload) {
        Totals totals = context.get(TOTALS).orElse(new Totals(0, 0));
        Totals next = new Totals(totals.count() + 1, totals.bytes() + payload.length());
        context.set(TOTALS, next);
        return next.count();
    }
}
