package io.roentgen.server.batching;

/**
 * Why the batcher gives no prediction for a request, in the batcher's own terms: its queue was
 * full, the request's deadline passed before its forward pass, or the forward pass failed. The
 * HTTP routes decide what each means to a client (503, 504, 500); nothing here knows HTTP.
 */
public abstract sealed class BatchFailure extends Exception {
    private final String model;

    private BatchFailure(String model, String message, Throwable cause) {
        super(message, cause);
        this.model = model;
    }

    /** The model whose batcher refused or failed the request. */
    public String model() {
        return model;
    }

    /** The queue held as many requests as it may; nothing was queued. Transient: retrying may succeed. */
    public static final class QueueFull extends BatchFailure {
        public QueueFull(String model) {
            super(model, "the queue of model '" + model + "' is full; retry shortly", null);
        }
    }

    /** The request's deadline passed while it waited: dropped before its forward pass, or not answered in time. */
    public static final class DeadlinePassed extends BatchFailure {
        public DeadlinePassed(String model) {
            super(model, "model '" + model + "' did not answer within the request timeout", null);
        }
    }

    /** The forward pass of the request's batch threw; every request of that batch gets this. */
    public static final class Failed extends BatchFailure {
        public Failed(String model, Throwable cause) {
            super(model, "the forward pass failed: " + cause.getMessage(), cause);
        }
    }
}
