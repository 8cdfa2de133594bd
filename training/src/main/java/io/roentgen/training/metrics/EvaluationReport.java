package io.roentgen.training.metrics;

import java.util.List;

/**
 * The metrics of one evaluation. Macro averages are plain means over the classes where the
 * metric is defined (NaN classes, e.g. without positives, are left out). The confusion matrix is
 * for multi-class tasks only (null for multi-label, where each class has its own 2x2 counts).
 */
public record EvaluationReport(
        double loss,
        double accuracy,
        List<ClassMetrics> classes,
        double macroAuroc,
        ConfidenceInterval macroAurocInterval,
        double macroSensitivity,
        double macroSpecificity,
        double macroF1,
        ConfusionMatrix confusion) {
}
