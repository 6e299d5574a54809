package io.quarkiverse.ambrosia.runtime.internal.commit;

import io.quarkiverse.ambrosia.runtime.internal.calls.Outstanding;
import io.quarkiverse.ambrosia.runtime.internal.wire.Envelope;

/**
 * A record to write in the next transaction.
 *
 * @param sequence the output's sequence number, or -1 for the extension's own records (drain, resume)
 * @param topic where it goes
 * @param partition the partition of that topic
 * @param envelope the record
 * @param request the call waiting for its reply, for a call that expects one
 * @param source the offset of the record that made it (for a reply, of the call it answers), or -1 for the
 *        extension's own records
 */
public record Output(long sequence, String topic, int partition, Envelope envelope, Outstanding request, long source) {
}
