package io.roentgen.cli;

import ai.djl.Device;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.models.report.ConfusionMatrixChart;
import io.roentgen.models.report.RocChart;
import io.roentgen.models.scoring.DicomScorer;
import io.roentgen.models.scoring.FileScore;
import io.roentgen.training.metrics.BinaryCounts;
import io.roentgen.training.metrics.ClassMetrics;
import io.roentgen.training.metrics.ConfidenceInterval;
import io.roentgen.training.metrics.EvaluationReport;
import io.roentgen.training.metrics.Metrics;
import io.roentgen.training.metrics.RocCurve;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code roentgen evaluate}: scores the images of a labelled manifest with a bundle and reports
 * the clinical metrics: AUROC with a bootstrap 95% interval, sensitivity and specificity at the
 * bundle's threshold and at 0.5, F1, accuracy, confusion matrix; PNG charts with {@code --out}.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = "Evaluate a model bundle on a labelled CSV manifest.",
        footer = {"", "The manifest has columns path, label (class names, a|b for multi-label), optional split; "
                + "its classes must be the bundle's labels.", "",
            "Examples:", "  roentgen evaluate --model blobs.zip --data manifest.csv --split test",
            "  roentgen evaluate --model blobs.zip --data manifest.csv --json --out eval/"})
final class EvaluateCommand implements Callable<Integer> {
    static final String ROC_PNG = "roc.png";
    static final String CONFUSION_PNG = "confusion-matrix.png";
    static final String METRICS_JSON = "evaluation.json";

    @Mixin
    CommonOptions common;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "Model bundle: a directory or a .zip.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "MANIFEST.csv", description = "Labelled CSV manifest.")
    Path data;

    @Option(names = "--split", paramLabel = "NAME", description = "Only rows whose split column is NAME (default: all rows).")
    String split;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR", description = "Write " + ROC_PNG + ", " + CONFUSION_PNG + " and "
            + METRICS_JSON + " here.")
    Path out;

    @Option(names = "--bootstrap", paramLabel = "N", description = "Bootstrap resamples for the AUROC intervals "
            + "(default ${DEFAULT-VALUE}; 0 for none).")
    int bootstrap = 1000;

    @Option(names = "--seed", paramLabel = "N", description = "Bootstrap seed (default ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--devices", paramLabel = "SPEC", description = "auto, cpu, gpu, gpu:N (default ${DEFAULT-VALUE}).")
    String devices = "auto";

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize = 16;

    @Override
    public Integer call() throws RoentgenException {
        if (batchSize < 1 || bootstrap < 0) {
            throw RoentgenException.usage("--batch-size must be at least 1 and --bootstrap at least 0");
        }
        Device device = PredictCommand.firstDevice(devices);
        List<FileScore> scored;
        ModelCard card;
        List<ManifestEntry> entries;
        try (Classifier classifier = precision.apply(ModelBundle.load(model, device), device)) {
            card = classifier.card();
            entries = entries(card);
            List<Path> files = entries.stream().map(ManifestEntry::path).toList();
            scored = new DicomScorer(classifier, batchSize).score(files, r -> {
                if (r.failed()) {
                    System.err.println("roentgen: " + r.error());
                }
            });
        }
        Evaluation evaluation = evaluate(card, entries, scored);
        Map<String, Object> report = toJson(card, evaluation);
        PrintStream stdout = System.out;
        if (json) {
            stdout.println(Json.of(report));
        } else {
            printTable(card, evaluation, stdout);
        }
        if (out != null) {
            writeOutputs(card, evaluation, report);
        }
        return evaluation.failed == 0 ? 0 : ErrorHandler.RUNTIME_ERROR;
    }

    private List<ManifestEntry> entries(ModelCard card) throws RoentgenException {
        ManifestOptions options = ManifestOptions.defaults().withClassNames(card.labels());
        Manifest manifest = Manifest.readCsv(data, card.multiLabel() ? options.withMultiLabel() : options);
        List<ManifestEntry> entries = manifest.entries().stream()
                .filter(e -> split == null || split.equalsIgnoreCase(e.split())).toList();
        if (entries.isEmpty()) {
            TreeSet<String> splits = new TreeSet<>();
            manifest.entries().forEach(e -> splits.add(String.valueOf(e.split())));
            throw RoentgenException.usage(data + ": no rows" + (split == null ? "" : " in split '" + split
                    + "'; splits present: " + String.join(", ", splits)));
        }
        return entries;
    }

    /** The scored images with their targets, the metrics, and the per-class counts at the bundle's thresholds. */
    record Evaluation(int images, int failed, double[][] probabilities, boolean[][] targets, EvaluationReport report,
                      List<BinaryCounts> atThreshold) {}

    private Evaluation evaluate(ModelCard card, List<ManifestEntry> entries, List<FileScore> scored)
            throws RoentgenException {
        int k = card.labels().size();
        List<double[]> probabilities = new ArrayList<>();
        List<boolean[]> targets = new ArrayList<>();
        int failed = 0;
        for (int i = 0; i < entries.size(); i++) {
            FileScore s = scored.get(i);
            if (s.failed()) {
                failed++;
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
        EvaluationReport report = Metrics.evaluate(pa, ta, card.multiLabel(), card.labels(), Double.NaN, bootstrap, seed);
        List<BinaryCounts> atThreshold = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            atThreshold.add(BinaryCounts.at(Metrics.column(pa, c), Metrics.column(ta, c), card.thresholds()[c]));
        }
        return new Evaluation(pa.length, failed, pa, ta, report, atThreshold);
    }

    private Map<String, Object> toJson(ModelCard card, Evaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", Map.of("name", card.name(), "version", card.version(), "format", card.format()));
        m.put("manifest", data.toString());
        m.put("split", split);
        m.put("images", e.images);
        m.put("failed", e.failed);
        m.put("task", card.multiLabel() ? "multi-label" : "multi-class");
        m.put("accuracy", number(e.report.accuracy()));
        m.put("macroAuroc", number(e.report.macroAuroc()));
        m.put("macroAurocInterval", interval(e.report.macroAurocInterval()));
        List<Map<String, Object>> classes = new ArrayList<>();
        for (int c = 0; c < card.labels().size(); c++) {
            ClassMetrics cm = e.report.classes().get(c);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", cm.name());
            row.put("auroc", number(cm.auroc()));
            row.put("aurocInterval", interval(cm.aurocInterval()));
            row.put("threshold", (double) card.thresholds()[c]);
            row.put("atThreshold", counts(e.atThreshold.get(c)));
            row.put("atHalf", counts(cm.atHalf()));
            classes.add(row);
        }
        m.put("classes", classes);
        if (e.report.confusion() != null) {
            m.put("confusionMatrix", Map.of("labels", card.labels(), "counts", e.report.confusion().counts()));
        }
        return m;
    }

    private static Map<String, Object> counts(BinaryCounts b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sensitivity", number(b.sensitivity()));
        m.put("specificity", number(b.specificity()));
        m.put("f1", number(b.f1()));
        m.put("truePositives", b.truePositives());
        m.put("falsePositives", b.falsePositives());
        m.put("trueNegatives", b.trueNegatives());
        m.put("falseNegatives", b.falseNegatives());
        return m;
    }

    private static Map<String, Object> interval(ConfidenceInterval ci) {
        if (ci == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lower", number(ci.lower()));
        m.put("upper", number(ci.upper()));
        m.put("resamples", ci.resamples());
        return m;
    }

    /** JSON has no NaN: an undefined metric (e.g. AUROC without positives) is null. */
    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private void printTable(ModelCard card, Evaluation e, PrintStream o) {
        o.printf(Locale.ROOT, "Model %s v%s (%s) on %s%s: %d images%s%n", card.name(), card.version(), card.format(),
                data, split == null ? "" : ", split " + split, e.images, e.failed == 0 ? "" : ", " + e.failed + " unreadable");
        o.printf(Locale.ROOT, "Accuracy %s   macro AUROC %s%s%n", f(e.report.accuracy()), f(e.report.macroAuroc()),
                ci(e.report.macroAurocInterval()));
        o.printf(Locale.ROOT, "%n%-16s %6s %-15s %9s %9s %9s %6s %9s %9s %6s%n", "label", "AUROC", "95% CI", "threshold",
                "sens@thr", "spec@thr", "F1@thr", "sens@0.5", "spec@0.5", "F1@0.5");
        for (int c = 0; c < card.labels().size(); c++) {
            ClassMetrics cm = e.report.classes().get(c);
            BinaryCounts t = e.atThreshold.get(c);
            o.printf(Locale.ROOT, "%-16s %6s %-15s %9.3f %9s %9s %6s %9s %9s %6s%n", cm.name(), f(cm.auroc()),
                    ci(cm.aurocInterval()).strip(), card.thresholds()[c], f(t.sensitivity()), f(t.specificity()),
                    f(t.f1()), f(cm.atHalf().sensitivity()), f(cm.atHalf().specificity()), f(cm.atHalf().f1()));
        }
        if (e.report.confusion() != null) {
            o.printf("%nConfusion matrix (rows: true class, columns: predicted class)%n");
            o.printf("%-16s", "");
            card.labels().forEach(l -> o.printf(" %10s", l));
            o.println();
            for (int t = 0; t < card.labels().size(); t++) {
                o.printf("%-16s", card.labels().get(t));
                for (int p = 0; p < card.labels().size(); p++) {
                    o.printf(" %10d", e.report.confusion().count(t, p));
                }
                o.println();
            }
        }
    }

    private void writeOutputs(ModelCard card, Evaluation e, Map<String, Object> report) throws RoentgenException {
        try {
            Files.createDirectories(out);
            String title = card.name() + (split == null ? "" : ", " + split) + ", " + e.images + " images";
            List<RocChart.Curve> curves = new ArrayList<>();
            for (int c = 0; c < card.labels().size(); c++) {
                RocCurve roc = RocCurve.of(Metrics.column(e.probabilities, c), Metrics.column(e.targets, c));
                curves.add(new RocChart.Curve(card.labels().get(c), e.report.classes().get(c).auroc(),
                        roc.falsePositiveRates(), roc.truePositiveRates()));
            }
            RocChart.write(curves, "ROC, " + title, out.resolve(ROC_PNG));
            if (e.report.confusion() != null) {
                ConfusionMatrixChart.write(e.report.confusion().counts(), card.labels(), "Confusion matrix, " + title,
                        out.resolve(CONFUSION_PNG));
            }
            Files.writeString(out.resolve(METRICS_JSON), Json.of(report) + "\n");
        } catch (IOException ex) {
            throw new RoentgenException(out + ": cannot write: " + ex.getMessage(), false, ex);
        }
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String ci(ConfidenceInterval ci) {
        return ci == null ? "" : String.format(Locale.ROOT, " [%s, %s]", f(ci.lower()), f(ci.upper()));
    }
}
