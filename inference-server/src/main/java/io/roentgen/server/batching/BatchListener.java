package io.roentgen.server.batching;

/** Told about every forward pass a batcher runs (the metrics registry listens). */
public interface BatchListener {
    BatchListener NONE = (model, size, queue, compute) -> {};

    /**
     * @param queueNanos   each request's wait, in batch order
     * @param computeNanos the forward pass
     */
    void batchDone(String model, int batchSize, long[] queueNanos, long computeNanos);
}
