package io.roentgen.training.metrics;

/**
 * One class against the rest: AUROC, the 2x2 counts at 0.5 and at the Youden threshold, and the
 * bootstrap interval of the AUROC when one was asked for (else null).
 */
public record ClassMetrics(
        String name,
        double auroc,
        ConfidenceInterval aurocInterval,
        BinaryCounts atHalf,
        YoudenThreshold youden,
        BinaryCounts atYouden) {

    public double sensitivity() {
        return atHalf.sensitivity();
    }

    public double specificity() {
        return atHalf.specificity();
    }

    public double f1() {
        return atHalf.f1();
    }
}
