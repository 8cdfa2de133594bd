package io.roentgen.server.batching;

import io.roentgen.models.Scores;

/**
 * One image's answer from a batched forward pass.
 *
 * @param model        model name
 * @param version      the version that actually computed it (hot reload may change it between requests)
 * @param scores       the classifier's scores
 * @param queueNanos   time from submission to the start of its forward pass
 * @param computeNanos duration of the forward pass it was part of
 * @param batchSize    images in that forward pass
 */
public record Prediction(String model, String version, Scores scores, long queueNanos, long computeNanos, int batchSize) {

    public double queueMillis() {
        return queueNanos / 1e6;
    }

    public double computeMillis() {
        return computeNanos / 1e6;
    }
}
