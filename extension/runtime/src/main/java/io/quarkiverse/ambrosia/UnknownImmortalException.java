package io.quarkiverse.ambrosia;

/**
 * A call named an immortal or a method that does not exist: the target's log topic is missing from the Kafka cluster,
 * or the target has no such method. Nothing ran. The failure is recorded in the caller's log, so a replay fails the
 * call the same way.
 */
public class UnknownImmortalException extends ImmortalException {

    private static final long serialVersionUID = 1L;

    public UnknownImmortalException(String message) {
        super(message);
    }
}
