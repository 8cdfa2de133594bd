package io.roentgen.models.bundle;

import io.roentgen.models.Scores;

import java.util.ArrayList;
import java.util.List;

/** Probabilities to the labels called positive, per the {@link Scores} contract. */
public final class Decisions {
    private Decisions() {}

    /** Multi-class: the arg-max (first on ties). Multi-label: each label at or above its threshold. */
    public static Scores scores(List<String> labels, float[] probabilities, float[] thresholds, boolean multiLabel) {
        List<String> predicted = new ArrayList<>();
        if (multiLabel) {
            for (int i = 0; i < labels.size(); i++) {
                if (probabilities[i] >= thresholds[i]) {
                    predicted.add(labels.get(i));
                }
            }
        } else {
            int best = 0;
            for (int i = 1; i < probabilities.length; i++) {
                if (probabilities[i] > probabilities[best]) {
                    best = i;
                }
            }
            predicted.add(labels.get(best));
        }
        return new Scores(labels, probabilities, List.copyOf(predicted), thresholds.clone());
    }
}
