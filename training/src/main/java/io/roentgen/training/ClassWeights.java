package io.roentgen.training;

import io.roentgen.training.run.TrainingConfig;
import java.util.Arrays;

/**
 * Loss weights against class imbalance, from the label counts of the training set.
 *
 * <p>Multi-class ({@code auto}): w_c = N / (K * n_c) over the K classes present, i.e. inverse
 * frequency normalised so the average weight over the training cases is 1 and the loss keeps its
 * scale; absent classes get 1. Multi-label ({@code auto}): the positive weight of class c is
 * negatives / positives (BCE's pos_weight), 1 for a class without positives or negatives.
 */
public final class ClassWeights {

    private ClassWeights() {
    }

    /** The weights the config asks for, or null for none. */
    public static double[] resolve(TrainingConfig config, LabelCounts counts) {
        return switch (config.classWeighting()) {
            case NONE -> null;
            case EXPLICIT -> config.explicitClassWeights();
            case AUTO -> config.multiLabel() ? positiveWeights(counts) : inverseFrequency(counts);
        };
    }

    public static double[] inverseFrequency(LabelCounts counts) {
        long[] perClass = counts.positives();
        long present = Arrays.stream(perClass).filter(n -> n > 0).count();
        double[] weights = new double[perClass.length];
        for (int c = 0; c < perClass.length; c++) {
            weights[c] = perClass[c] == 0 ? 1.0 : (double) counts.total() / (present * perClass[c]);
        }
        return weights;
    }

    public static double[] positiveWeights(LabelCounts counts) {
        long[] positives = counts.positives();
        double[] weights = new double[positives.length];
        for (int c = 0; c < positives.length; c++) {
            long negatives = counts.total() - positives[c];
            weights[c] = positives[c] == 0 || negatives == 0 ? 1.0 : (double) negatives / positives[c];
        }
        return weights;
    }

    /** How many training cases carry each label, and how many cases there are. */
    public record LabelCounts(long[] positives, long total) {
    }
}
