package io.roentgen.training.evaluation;

import io.roentgen.training.metrics.RocCurve;

import java.util.List;

/** An evaluation and, per class in label order, the ROC curve its AUROC is the area under. */
public record EvaluationResult(Evaluation evaluation, List<RocCurve> rocCurves) {
}
