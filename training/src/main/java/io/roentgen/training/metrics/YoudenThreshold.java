package io.roentgen.training.metrics;

/**
 * The operating point that maximises Youden's J = sensitivity + specificity - 1, where a score at
 * or above the threshold is a positive call. Candidate thresholds are the observed scores.
 *
 * <p>Tie-break: among thresholds with the same J the highest one wins (fewest positive calls, so
 * the higher specificity). J is compared exactly as the integer TP*N - FP*P.
 */
public record YoudenThreshold(double threshold, double sensitivity, double specificity) {

    /** NaNs when a class is absent or a score is NaN. */
    public static YoudenThreshold of(double[] scores, boolean[] positive) {
        long positives = 0;
        for (boolean p : positive) {
            if (p) positives++;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0 || Auroc.anyNaN(scores)) {
            return new YoudenThreshold(Double.NaN, Double.NaN, Double.NaN);
        }
        Integer[] order = Auroc.ascendingOrder(scores);
        long tp = 0, fp = 0;
        long bestScaledJ = Long.MIN_VALUE;
        double bestThreshold = Double.NaN;
        long bestTp = 0, bestFp = 0;
        // Sweep thresholds from the highest score down; each distinct score admits its whole tie group.
        int end = scores.length - 1;
        while (end >= 0) {
            double threshold = scores[order[end]];
            int start = end;
            while (start >= 0 && Auroc.sameScore(scores[order[start]], threshold)) {
                if (positive[order[start]]) tp++; else fp++;
                start--;
            }
            long scaledJ = tp * negatives - fp * positives;
            if (scaledJ > bestScaledJ) {
                bestScaledJ = scaledJ;
                bestThreshold = threshold;
                bestTp = tp;
                bestFp = fp;
            }
            end = start;
        }
        return new YoudenThreshold(bestThreshold, (double) bestTp / positives,
                (double) (negatives - bestFp) / negatives);
    }
}
