package io.roentgen.training.metrics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Exact area under the ROC curve by the Mann–Whitney U statistic: the probability that a random
 * positive scores above a random negative, a tie counting one half. Ranks are kept doubled in
 * {@code long}s so ties (half ranks) add up without rounding.
 */
public final class Auroc {

    private Auroc() {
    }

    /**
     * The AUROC of {@code scores} for the {@code positive} flags; NaN if a class is absent or a
     * score is NaN (a diverged model has no meaningful ranking).
     */
    public static double of(double[] scores, boolean[] positive) {
        if (anyNaN(scores)) {
            return Double.NaN;
        }
        int n = scores.length;
        Integer[] order = ascendingOrder(scores);
        long positives = 0;
        long doubledRankSum = 0;
        int start = 0;
        while (start < n) {
            int end = start;
            while (end + 1 < n && sameScore(scores[order[end + 1]], scores[order[start]])) {
                end++;
            }
            // Ranks start..end (1-based: start+1..end+1) share their mean; doubled it is start+end+2.
            long doubledMeanRank = (long) start + end + 2;
            for (int k = start; k <= end; k++) {
                if (positive[order[k]]) {
                    positives++;
                    doubledRankSum += doubledMeanRank;
                }
            }
            start = end + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double doubledU = doubledRankSum - (double) positives * (positives + 1);
        return doubledU / (2.0 * positives * negatives);
    }

    static boolean anyNaN(double[] scores) {
        for (double s : scores) {
            if (Double.isNaN(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Tie test for the threshold sweeps: {@link Double#compare} is reflexive for NaN, so a sweep
     * over scores with NaNs still moves on (with {@code ==} it looped forever on a NaN).
     */
    static boolean sameScore(double a, double b) {
        return Double.compare(a, b) == 0;
    }

    static Integer[] ascendingOrder(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        return order;
    }
}
