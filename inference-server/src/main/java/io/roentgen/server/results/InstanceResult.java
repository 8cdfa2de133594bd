package io.roentgen.server.results;

import java.util.List;
import java.util.Map;

/**
 * One instance's classification as the classify endpoint answers it, {@code GET /v1/results}
 * returns it and the results file holds it: the instance's UIDs, the label, score and threshold
 * per class, the model that answered and its timings. The component names are the JSON names.
 *
 * @param label     the top predicted label, or null when none passed its threshold
 * @param predicted every label that passed its threshold
 * @param scores    probability per label, in the model's label order
 * @param queueMs   time from submission to the start of the forward pass, rounded to microseconds
 * @param computeMs duration of that forward pass, rounded to microseconds
 * @param batchSize images in that forward pass
 */
public record InstanceResult(String sopInstanceUid, String seriesInstanceUid, String studyInstanceUid, String label,
        List<String> predicted, Map<String, Float> scores, Map<String, Float> thresholds, String model, String version,
        double queueMs, double computeMs, int batchSize) {}
