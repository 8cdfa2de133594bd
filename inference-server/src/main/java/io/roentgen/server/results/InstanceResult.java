package io.roentgen.server.results;

import io.roentgen.models.Scores;
import io.roentgen.server.batching.Prediction;

import java.util.LinkedHashMap;
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
        double queueMs, double computeMs, int batchSize) {

    /** The result of one instance the batcher scored, whichever entry path (HTTP, STOW-RS, DIMSE) brought it. */
    public static InstanceResult of(String sopInstanceUid, String seriesInstanceUid, String studyInstanceUid,
            Prediction prediction) {
        Scores scores = prediction.scores();
        return new InstanceResult(sopInstanceUid, seriesInstanceUid, studyInstanceUid, scores.top(), scores.predicted(),
                perLabel(scores.labels(), scores.probabilities()), perLabel(scores.labels(), scores.thresholds()),
                prediction.model(), prediction.version(), round(prediction.queueMillis()), round(prediction.computeMillis()),
                prediction.batchSize());
    }

    /** Label to value in the model's label order: the labels are the model's, so a map, not a record. */
    private static Map<String, Float> perLabel(List<String> labels, float[] values) {
        Map<String, Float> m = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            m.put(labels.get(i), values[i]);
        }
        return m;
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
