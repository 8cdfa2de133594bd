package io.roentgen.cli;

import ai.djl.Device;
import io.roentgen.engine.DeviceSpec;
import io.roentgen.engine.Devices;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
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
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code roentgen predict}: scores DICOM files with a model bundle. One row per file
 * ({@link PredictionOutput}) with its UIDs, the predicted label, the probability and threshold of
 * every label. Unreadable files get a row with an error and one line on stderr; exit code 1 if any.
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
                out.println(PredictionOutput.csvHeader(labels));
            }
            results = new DicomScorer(classifier, batchSize).score(files, r -> {
                if (r.failed()) {
                    System.err.println("roentgen: " + r.error());
                }
                if (format == OutputFormat.csv) {
                    out.println(PredictionOutput.csvRow(r, labels.size()));
                }
            });
        }
        if (format == OutputFormat.json) {
            out.println(PredictionOutput.json(results));
        }
        out.flush();
        return results.stream().anyMatch(FileScore::failed) ? ErrorHandler.RUNTIME_ERROR : 0;
    }

    static Device firstDevice(String spec) throws RoentgenException {
        return Devices.select(DeviceSpec.parse(spec), EngineSettings.fromEnvironment()).get(0);
    }
}
