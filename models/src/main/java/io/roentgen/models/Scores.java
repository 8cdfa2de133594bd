package io.roentgen.models;

import java.util.List;

/**
 * A classifier's answer for one image.
 *
 * @param labels        class names, in the model's output order
 * @param probabilities one per label: softmax for multi-class, sigmoid per label for multi-label
 * @param predicted     the labels called positive: the arg-max for multi-class; for multi-label
 *                      every label whose probability is at or above its threshold
 * @param thresholds    the decision threshold per label that {@code predicted} used
 */
public record Scores(List<String> labels, float[] probabilities, List<String> predicted, float[] thresholds) {

    /** The probability of one label. */
    public float probability(String label) {
        int i = labels.indexOf(label);
        if (i < 0) {
            throw new IllegalArgumentException("unknown label '" + label + "'; labels: " + labels);
        }
        return probabilities[i];
    }

    /** The first predicted label (the arg-max for multi-class), or null when none passed. */
    public String top() {
        return predicted.isEmpty() ? null : predicted.get(0);
    }
}
