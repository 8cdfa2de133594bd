package io.roentgen.training.evaluation;

import io.roentgen.models.ModelCard;
import io.roentgen.training.metrics.BinaryCounts;
import io.roentgen.training.metrics.ConfidenceInterval;

import java.util.List;

/**
 * What {@code roentgen evaluate} reports, and the schema of its JSON ({@link #toJson}): the model,
 * the data, accuracy, macro AUROC with its bootstrap interval, per class AUROC and the 2x2 counts
 * at the bundle's threshold and at 0.5, and for multi-class tasks the confusion matrix (else
 * null). Undefined metrics (NaN, e.g. AUROC without positives) are written as null.
 */
public record Evaluation(
        Model model,
        String manifest,
        String split,
        int images,
        int failed,
        String task,
        double accuracy,
        double macroAuroc,
        ConfidenceInterval macroAurocInterval,
        List<ClassResult> classes,
        ConfusionTable confusionMatrix) {

    /** The bundle that was evaluated. */
    public record Model(String name, String version, String format) {
        static Model of(ModelCard card) {
            return new Model(card.name(), card.version(), card.format());
        }
    }

    /** One class against the rest. */
    public record ClassResult(String label, double auroc, ConfidenceInterval aurocInterval, double threshold,
            Counts atThreshold, Counts atHalf) {}

    /** The 2x2 counts at one threshold, with the rates clinicians read from them. */
    public record Counts(double sensitivity, double specificity, double f1, long truePositives, long falsePositives,
            long trueNegatives, long falseNegatives) {
        static Counts of(BinaryCounts b) {
            return new Counts(b.sensitivity(), b.specificity(), b.f1(), b.truePositives(), b.falsePositives(),
                    b.trueNegatives(), b.falseNegatives());
        }
    }

    /** Rows: true class, columns: predicted class, in the order of {@code labels}. */
    public record ConfusionTable(List<String> labels, long[][] counts) {
        public long count(int truth, int predicted) {
            return counts[truth][predicted];
        }
    }

    /** Pretty-printed JSON, the same for stdout and {@code evaluation.json}. */
    public String toJson() {
        return EvaluationJson.GSON.toJson(this);
    }
}
