package io.quarkiverse.ambrosia.runtime.internal.kafka;

/**
 * A newer instance took over the partition: its producer, with the same transactional id, fenced this one. The task
 * stops; nothing it had not committed counts.
 */
public final class TaskFencedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String transactionalId;

    public TaskFencedException(String transactionalId, Throwable cause) {
        super(describe(transactionalId), cause);
        this.transactionalId = transactionalId;
    }

    /**
     * @return what happened to the task with that transactional id, for its status and log lines
     */
    public static String describe(String transactionalId) {
        return "fenced by a newer instance with transactional id " + transactionalId;
    }

    public String transactionalId() {
        return transactionalId;
    }
}
