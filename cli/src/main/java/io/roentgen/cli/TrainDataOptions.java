package io.roentgen.cli;

import io.roentgen.datasets.manifest.BadFilePolicy;
import io.roentgen.dicom.sr.Code;
import io.roentgen.dicom.image.Augmentation;
import io.roentgen.engine.RoentgenException;
import io.roentgen.training.data.TrainingData;
import io.roentgen.training.data.TrainingSources;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code roentgen train}'s data flags ({@code @Mixin}): what to read, how to split, cache and augment it. */
final class TrainDataOptions {
    @Option(names = "--data", required = true, paramLabel = "MANIFEST|DIR",
            description = "CSV manifest of DICOM files (path,label[,patient_id,study_uid,split]), or a folder of class "
                    + "folders holding DICOM (root/CLASS/**.dcm) or PNG/JPEG images.")
    Path data;

    @Option(names = "--val", defaultValue = "0.15", description = "Validation fraction when the manifest has no split (default ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--test", defaultValue = "0.15", description = "Test fraction when the manifest has no split (default ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--augment", defaultValue = "mild", description = "mild or off (default ${DEFAULT-VALUE}).")
    String augment;

    @Mixin
    ManifestFlags manifestFlags;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Keep preprocessed tensors (float16, memory-mapped) here; later epochs and runs skip decoding.")
    Path cache;

    @Option(names = "--on-bad-file", defaultValue = "skip", description = "skip or fail (default ${DEFAULT-VALUE}).")
    String onBadFile;

    TrainingSources.Request request(Path runFolder, TrainOptions model) throws RoentgenException {
        return new TrainingSources.Request(data, runFolder, manifestFlags.options(), BadFilePolicy.parse(onBadFile),
                TrainingSources.preprocessing(model.imageSize, model.channels), augmentation(), model.seed,
                validationFraction, testFraction, cache, model.imageSize, model.channels, model.batchSize);
    }

    boolean multiLabel() {
        return manifestFlags.isMultiLabel();
    }

    private Augmentation augmentation() throws RoentgenException {
        return switch (augment.toLowerCase(Locale.ROOT)) {
            case "mild" -> Augmentation.mild();
            case "off" -> Augmentation.off();
            default -> throw RoentgenException.usage("--augment must be mild or off, not '" + augment + "'");
        };
    }

    @Option(names = "--codes", paramLabel = "FILE",
            description = "JSON {\"label\": {\"scheme\": \"SCT\", \"value\": \"...\", \"meaning\": \"...\"}, ...}: the coded "
                + "concept each label is reported as in DICOM SRs, written into model.json; every label needs one "
                + "(default: labels go out in the local scheme 99ROENTGEN).")
    Path codesFile;

    /** Each label's code from {@code --codes}, checked against the classes before training: a missing code should not cost a run. */
    Map<String, Code> codes(List<String> labels) throws RoentgenException {
        return LabelCodesFile.read(codesFile, labels);
    }

    static void reportBadFiles(TrainingData training) {
        if (!training.badFiles().isEmpty()) {
            System.err.println("roentgen: skipped " + training.badFiles().count() + " unusable file(s):");
            training.badFiles().files().forEach(f -> System.err.println("  " + f.path() + ": " + f.reason()));
        }
    }
}
