package io.roentgen.server.export;

/**
 * A result could not be delivered. {@link #retryable()} says whether trying again later may
 * succeed (the destination is down, busy or failed inside) or not (it refused this object).
 */
public final class SendException extends Exception {
    private final boolean retryable;

    public SendException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public SendException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
