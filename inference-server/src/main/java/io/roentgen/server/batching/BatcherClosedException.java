package io.roentgen.server.batching;

/** The batcher stopped taking requests (its model is being replaced or unloaded): try the current one. */
public final class BatcherClosedException extends Exception {
    public BatcherClosedException(String model) {
        super("model '" + model + "' is no longer accepting requests");
    }
}
