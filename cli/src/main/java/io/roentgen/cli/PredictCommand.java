package io.roentgen.cli;

import ai.djl.Device;
import io.roentgen.engine.DeviceSpec;
import io.roentgen.engine.Devices;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.Scores;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.models.scoring.DicomInputs;
import io.roentgen.models.scoring.DicomScorer;
import io.roentgen.models.scoring.FileScore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code roentgen predict}: scores DICOM files with a model bundle. One row per file with its
 * UIDs (never patient names or IDs), the predicted label, the probability and threshold of every
 * label. Unreadable files get a row with an error and one line on stderr; exit code 1 if any.
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = "Score DICOM files (folders are walked) with a model bundle.",
        footer = {"", "Examples:", "  roentgen predict --model blobs.zip scan.dcm",
            "  roentgen predict --model runs/blobs/bundle studies/ --format json --devices gpu:0"})
final class PredictCommand implements Callable<Integer> {
    enum OutputFormat { csv, json }

    @Mixin
    CommonOptions common;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "Model bundle: a directory or a .zip.")
    Path model;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "DICOM files, or folders to walk for them.")
    List<Path> inputs;

    @Option(names = "--format", paramLabel = "csv|json", description = "Output format (default ${DEFAULT-VALUE}).")
    OutputFormat format = OutputFormat.csv;

    @Option(names = "--devices", paramLabel = "SPEC", description = "auto, cpu, gpu, gpu:N (default ${DEFAULT-VALUE}); "
            + "the first device is used.")
    String devices = "auto";

    @Option(names = "--batch-size", paramLabel = "N", description = "Images per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize = 16;

    @Override
    public Integer call() throws RoentgenException {
        if (batchSize < 1) {
            throw RoentgenException.usage("--batch-size must be at least 1, got " + batchSize);
        }
        List<Path> files = DicomInputs.expand(inputs);
        if (files.isEmpty()) {
            throw RoentgenException.usage("no DICOM files found in " + inputs);
        }
        Device device = firstDevice(devices);
        PrintStream out = System.out;
        List<FileScore> results;
        try (Classifier classifier = precision.apply(ModelBundle.load(model, device), device)) {
            List<String> labels = classifier.card().labels();
            if (format == OutputFormat.csv) {
                out.println(csvHeader(labels));
            }
            results = new DicomScorer(classifier, batchSize).score(files, r -> {
                if (r.failed()) {
                    System.err.println("roentgen: " + r.error());
                }
                if (format == OutputFormat.csv) {
                    out.println(csvRow(r, labels.size()));
                }
            });
        }
        if (format == OutputFormat.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            results.forEach(r -> rows.add(toJson(r)));
            out.println(Json.of(rows));
        }
        out.flush();
        return results.stream().anyMatch(FileScore::failed) ? ErrorHandler.RUNTIME_ERROR : 0;
    }

    static Device firstDevice(String spec) throws RoentgenException {
        return Devices.select(DeviceSpec.parse(spec), EngineSettings.fromEnvironment()).get(0);
    }

    /** The predicted labels: the arg-max for multi-class, every label over its threshold (joined by |) for multi-label. */
    static String label(Scores s) {
        return String.join("|", s.predicted());
    }

    private static String csvHeader(List<String> labels) {
        List<String> columns = new ArrayList<>(List.of("file", "study_instance_uid", "series_instance_uid",
                "sop_instance_uid", "label"));
        labels.forEach(l -> columns.add("p_" + l));
        labels.forEach(l -> columns.add("threshold_" + l));
        columns.add("error");
        return csvLine(columns);
    }

    private static String csvRow(FileScore r, int labels) {
        List<String> cells = new ArrayList<>(List.of(r.file().toString(), blank(r.studyInstanceUid()),
                blank(r.seriesInstanceUid()), blank(r.sopInstanceUid())));
        Scores s = r.scores();
        cells.add(s == null ? "" : label(s));
        for (int i = 0; i < labels; i++) {
            cells.add(s == null ? "" : Float.toString(s.probabilities()[i]));
        }
        for (int i = 0; i < labels; i++) {
            cells.add(s == null ? "" : Float.toString(s.thresholds()[i]));
        }
        cells.add(blank(r.error()));
        return csvLine(cells);
    }

    private static Map<String, Object> toJson(FileScore r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", r.file().toString());
        if (r.failed()) {
            m.put("error", r.error());
            return m;
        }
        m.put("studyInstanceUid", r.studyInstanceUid());
        m.put("seriesInstanceUid", r.seriesInstanceUid());
        m.put("sopInstanceUid", r.sopInstanceUid());
        Scores s = r.scores();
        m.put("label", label(s));
        m.put("predicted", s.predicted());
        Map<String, Float> probabilities = new LinkedHashMap<>();
        Map<String, Float> thresholds = new LinkedHashMap<>();
        for (int i = 0; i < s.labels().size(); i++) {
            probabilities.put(s.labels().get(i), s.probabilities()[i]);
            thresholds.put(s.labels().get(i), s.thresholds()[i]);
        }
        m.put("probabilities", probabilities);
        m.put("thresholds", thresholds);
        return m;
    }

    private static String blank(String s) {
        return s == null ? "" : s;
    }

    /** RFC 4180: quote cells holding a comma, quote or line break; double the quotes. */
    static String csvLine(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (i > 0) {
                line.append(',');
            }
            if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                line.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                line.append(c);
            }
        }
        return line.toString();
    }
}
