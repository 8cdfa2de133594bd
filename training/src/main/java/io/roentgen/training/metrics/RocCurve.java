package io.roentgen.training.metrics;

/**
 * The empirical ROC curve: one point per distinct score threshold, from (0,0) to (1,1), false
 * positive rate on x and true positive rate on y. NaN scores rank above every other score.
 */
public record RocCurve(double[] falsePositiveRates, double[] truePositiveRates) {

    public static RocCurve of(double[] scores, boolean[] positive) {
        long positives = 0;
        for (boolean p : positive) {
            if (p) positives++;
        }
        long negatives = scores.length - positives;
        Integer[] order = Auroc.ascendingOrder(scores);
        double[] fpr = new double[scores.length + 1];
        double[] tpr = new double[scores.length + 1];
        int points = 1;
        long tp = 0, fp = 0;
        int end = scores.length - 1;
        while (end >= 0) {
            double threshold = scores[order[end]];
            while (end >= 0 && Auroc.sameScore(scores[order[end]], threshold)) {
                if (positive[order[end]]) tp++; else fp++;
                end--;
            }
            fpr[points] = negatives == 0 ? Double.NaN : (double) fp / negatives;
            tpr[points] = positives == 0 ? Double.NaN : (double) tp / positives;
            points++;
        }
        return new RocCurve(java.util.Arrays.copyOf(fpr, points), java.util.Arrays.copyOf(tpr, points));
    }

    public int size() {
        return falsePositiveRates.length;
    }
}
