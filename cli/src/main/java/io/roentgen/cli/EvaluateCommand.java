package io.roentgen.cli;

import ai.djl.Device;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.training.evaluation.BundleEvaluator;
import io.roentgen.training.evaluation.EvaluationFiles;
import io.roentgen.training.evaluation.EvaluationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code roentgen evaluate}: scores the images of a labelled manifest with a bundle and reports
 * the clinical metrics ({@link BundleEvaluator}): AUROC with a bootstrap 95% interval, sensitivity
 * and specificity at the bundle's threshold and at 0.5, F1, accuracy, confusion matrix; PNG charts
 * with {@code --out}.
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

    @Option(names = "--out", paramLabel = "DIR", description = "Write " + EvaluationFiles.ROC_PNG + ", "
            + EvaluationFiles.CONFUSION_PNG + " and " + EvaluationFiles.METRICS_JSON + " here.")
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
        BundleEvaluator.Settings settings = new BundleEvaluator.Settings(data, split, batchSize, bootstrap, seed);
        EvaluationResult result;
        try (Classifier classifier = precision.apply(ModelBundle.load(model, device), device)) {
            result = BundleEvaluator.evaluate(classifier, settings, r -> {
                if (r.failed()) {
                    System.err.println("roentgen: " + r.error());
                }
            });
        }
        if (json) {
            System.out.println(result.evaluation().toJson());
        } else {
            EvaluationTable.print(result.evaluation(), System.out);
        }
        // in another precision than the bundle was trained in: the difference (stderr beside --json)
        PrecisionDifference.report(model, device, precision.choice(device).precision(), result.evaluation(), settings,
                json ? System.err : System.out);
        if (out != null) {
            EvaluationFiles.write(result, out);
        }
        return result.evaluation().failed() == 0 ? 0 : ErrorHandler.RUNTIME_ERROR;
    }
}
