package io.roentgen.training.evaluation;

import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.ModelCard;
import io.roentgen.models.scoring.FileScore;
import io.roentgen.training.metrics.BinaryCounts;
import io.roentgen.training.metrics.ClassMetrics;
import io.roentgen.training.metrics.EvaluationReport;
import io.roentgen.training.metrics.Metrics;
import io.roentgen.training.metrics.RocCurve;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores against labels: the images that could be scored, their metrics ({@link Metrics#evaluate}),
 * the counts at the bundle's own thresholds, and the ROC curves.
 */
final class Measurement {
    private Measurement() {}

    static EvaluationResult of(ModelCard card, BundleEvaluator.Settings settings, List<ManifestEntry> entries,
            List<FileScore> scored) throws RoentgenException {
        int k = card.labels().size();
        List<double[]> probabilities = new ArrayList<>();
        List<boolean[]> targets = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            FileScore s = scored.get(i);
            if (s.failed()) {
                continue;
            }
            double[] p = new double[k];
            boolean[] t = new boolean[k];
            for (int c = 0; c < k; c++) {
                p[c] = s.scores().probabilities()[c];
                t[c] = entries.get(i).hasLabel(c);
            }
            probabilities.add(p);
            targets.add(t);
        }
        if (probabilities.isEmpty()) {
            throw new RoentgenException("none of the " + entries.size() + " images could be scored");
        }
        double[][] pa = probabilities.toArray(double[][]::new);
        boolean[][] ta = targets.toArray(boolean[][]::new);
        EvaluationReport report = Metrics.evaluate(pa, ta, card.multiLabel(), card.labels(), Double.NaN,
                settings.bootstrap(), settings.seed());
        List<Evaluation.ClassResult> classes = new ArrayList<>();
        List<RocCurve> curves = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            ClassMetrics cm = report.classes().get(c);
            double[] column = Metrics.column(pa, c);
            boolean[] positive = Metrics.column(ta, c);
            BinaryCounts atThreshold = BinaryCounts.at(column, positive, card.thresholds()[c]);
            classes.add(new Evaluation.ClassResult(cm.name(), cm.auroc(), cm.aurocInterval(), card.thresholds()[c],
                    Evaluation.Counts.of(atThreshold), Evaluation.Counts.of(cm.atHalf())));
            curves.add(RocCurve.of(column, positive));
        }
        Evaluation.ConfusionTable confusion = report.confusion() == null ? null
                : new Evaluation.ConfusionTable(card.labels(), report.confusion().counts());
        Evaluation evaluation = new Evaluation(Evaluation.Model.of(card), settings.manifest().toString(), settings.split(),
                pa.length, entries.size() - pa.length, card.multiLabel() ? "multi-label" : "multi-class",
                report.accuracy(), report.macroAuroc(), report.macroAurocInterval(), classes, confusion);
        return new EvaluationResult(evaluation, curves);
    }
}
