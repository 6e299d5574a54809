package io.quarkiverse.ambrosia;

/**
 * An idempotency key already recorded for another request (another method or other arguments) was reused. Nothing was
 * run. Over HTTP it is answered with {@code 422 Unprocessable Content}.
 */
public class IdempotencyKeyReusedException extends ImmortalException {

    private static final long serialVersionUID = 1L;

    public IdempotencyKeyReusedException(String message) {
        super(message);
    }
}
