package io.roentgen.cli;

import ai.djl.Device;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.Precision;
import io.roentgen.models.Classifier;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.training.evaluation.BundleEvaluator;
import io.roentgen.training.evaluation.Evaluation;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code roentgen evaluate} adds when it evaluates a bundle in another precision than the one
 * it was trained and validated in (model.json's provenance): the same data scored again in the
 * trained precision, and one line with both figures and their difference.
 */
final class PrecisionDifference {
    private PrecisionDifference() {
    }

    /** The precision the bundle was trained in: fp32 where model.json does not say (older bundles). */
    static Precision trained(Path bundle) throws RoentgenException {
        return Precision.parse(ModelBundle.readManifest(bundle).provenance().trainedPrecision());
    }

    /**
     * Scores the data again in the trained precision when {@code evaluated} differs from it and
     * prints the comparison; nothing when they are the same.
     */
    static void report(Path bundle, Device device, Precision evaluated, Evaluation result,
                       BundleEvaluator.Settings settings, PrintStream out) throws RoentgenException {
        Precision trained = trained(bundle);
        if (trained == evaluated) {
            return;
        }
        BundleEvaluator.Settings once = new BundleEvaluator.Settings(settings.manifest(), settings.split(),
                settings.batchSize(), 0, settings.seed());
        Evaluation reference;
        try (Classifier classifier = option(trained).apply(ModelBundle.load(bundle, device), device)) {
            reference = BundleEvaluator.evaluate(classifier, once, r -> { }).evaluation();
        }
        out.println(line(trained, evaluated, reference, result));
    }

    static String line(Precision trained, Precision evaluated, Evaluation reference, Evaluation result) {
        return String.format(Locale.ROOT, "Precision: evaluated in %s, trained in %s: macro AUROC %.4f vs %.4f "
                        + "(difference %+.4f), accuracy %.4f vs %.4f (difference %+.4f)",
                evaluated.flagName(), trained.flagName(), result.macroAuroc(), reference.macroAuroc(),
                result.macroAuroc() - reference.macroAuroc(), result.accuracy(), reference.accuracy(),
                result.accuracy() - reference.accuracy());
    }

    private static PrecisionOption option(Precision precision) {
        PrecisionOption option = new PrecisionOption();
        option.precision = precision.flagName();
        return option;
    }
}
