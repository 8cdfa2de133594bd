package io.roentgen.cli;

import io.roentgen.training.evaluation.Evaluation;
import io.roentgen.training.metrics.ConfidenceInterval;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** {@code roentgen evaluate}'s table: the headline figures, one row per class, the confusion matrix. */
final class EvaluationTable {
    private EvaluationTable() {}

    static void print(Evaluation e, PrintStream o) {
        Evaluation.Model m = e.model();
        o.printf(Locale.ROOT, "Model %s v%s (%s) on %s%s: %d images%s%n", m.name(), m.version(), m.format(),
                e.manifest(), e.split() == null ? "" : ", split " + e.split(), e.images(),
                e.failed() == 0 ? "" : ", " + e.failed() + " unreadable");
        o.printf(Locale.ROOT, "Accuracy %s   macro AUROC %s%s%n", f(e.accuracy()), f(e.macroAuroc()),
                ci(e.macroAurocInterval()));
        o.printf(Locale.ROOT, "%n%-16s %6s %-15s %9s %9s %9s %6s %9s %9s %6s%n", "label", "AUROC", "95% CI", "threshold",
                "sens@thr", "spec@thr", "F1@thr", "sens@0.5", "spec@0.5", "F1@0.5");
        for (Evaluation.ClassResult c : e.classes()) {
            Evaluation.Counts t = c.atThreshold();
            Evaluation.Counts h = c.atHalf();
            o.printf(Locale.ROOT, "%-16s %6s %-15s %9.3f %9s %9s %6s %9s %9s %6s%n", c.label(), f(c.auroc()),
                    ci(c.aurocInterval()).strip(), c.threshold(), f(t.sensitivity()), f(t.specificity()), f(t.f1()),
                    f(h.sensitivity()), f(h.specificity()), f(h.f1()));
        }
        if (e.confusionMatrix() != null) {
            printConfusion(e.confusionMatrix(), o);
        }
    }

    private static void printConfusion(Evaluation.ConfusionTable table, PrintStream o) {
        List<String> labels = table.labels();
        o.printf("%nConfusion matrix (rows: true class, columns: predicted class)%n");
        o.printf("%-16s", "");
        labels.forEach(l -> o.printf(" %10s", l));
        o.println();
        for (int t = 0; t < labels.size(); t++) {
            o.printf("%-16s", labels.get(t));
            for (int p = 0; p < labels.size(); p++) {
                o.printf(" %10d", table.count(t, p));
            }
            o.println();
        }
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String ci(ConfidenceInterval ci) {
        return ci == null ? "" : String.format(Locale.ROOT, " [%s, %s]", f(ci.lower()), f(ci.upper()));
    }
}
