package io.roentgen.training.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap: resample the cases with replacement, recompute the statistic, take the
 * 2.5th and 97.5th percentiles (linear interpolation between order statistics, numpy's default).
 * Resamples where the statistic is undefined (NaN, e.g. no positive drawn) are left out; the
 * interval says how many were used. Seeded, so the same inputs give the same interval.
 */
public final class Bootstrap {

    /** A statistic of the cases picked by {@code indices} (which may repeat). */
    @FunctionalInterface
    public interface Statistic {
        double compute(int[] indices);
    }

    private Bootstrap() {
    }

    public static ConfidenceInterval percentile95(int cases, int resamples, long seed, Statistic statistic) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[resamples];
        int valid = 0;
        int[] indices = new int[cases];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < cases; i++) {
                indices[i] = random.nextInt(cases);
            }
            double value = statistic.compute(indices);
            if (!Double.isNaN(value)) {
                values[valid++] = value;
            }
        }
        if (valid == 0) {
            return new ConfidenceInterval(Double.NaN, Double.NaN, 0);
        }
        double[] sorted = Arrays.copyOf(values, valid);
        Arrays.sort(sorted);
        return new ConfidenceInterval(quantile(sorted, 0.025), quantile(sorted, 0.975), valid);
    }

    /** Linear interpolation between the order statistics around q*(n-1). */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    /** The AUROC statistic of one class over resampled cases. */
    public static Statistic auroc(double[] scores, boolean[] positive) {
        return indices -> {
            double[] s = new double[indices.length];
            boolean[] p = new boolean[indices.length];
            for (int i = 0; i < indices.length; i++) {
                s[i] = scores[indices[i]];
                p[i] = positive[indices[i]];
            }
            return Auroc.of(s, p);
        };
    }
}
