package io.roentgen.training.metrics;

/**
 * The 2x2 confusion counts of one class against the rest at one threshold (a score at or above
 * the threshold is a positive call), and the rates clinicians read from them.
 */
public record BinaryCounts(long truePositives, long falsePositives, long trueNegatives, long falseNegatives) {

    public static BinaryCounts at(double[] scores, boolean[] positive, double threshold) {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean called = scores[i] >= threshold;
            if (positive[i]) {
                if (called) tp++; else fn++;
            } else {
                if (called) fp++; else tn++;
            }
        }
        return new BinaryCounts(tp, fp, tn, fn);
    }

    public long positives() {
        return truePositives + falseNegatives;
    }

    public long negatives() {
        return trueNegatives + falsePositives;
    }

    /** True-positive rate; NaN without positives. */
    public double sensitivity() {
        return ratio(truePositives, positives());
    }

    /** True-negative rate; NaN without negatives. */
    public double specificity() {
        return ratio(trueNegatives, negatives());
    }

    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** 2TP / (2TP + FP + FN); NaN when there are neither positives nor positive calls. */
    public double f1() {
        return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
    }

    public double accuracy() {
        return ratio(truePositives + trueNegatives, positives() + negatives());
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }
}
