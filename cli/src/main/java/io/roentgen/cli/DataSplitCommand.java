package io.roentgen.cli;

import io.roentgen.datasets.DicomCollection;
import io.roentgen.datasets.manifest.BadFilePolicy;
import io.roentgen.datasets.manifest.BadFileReport;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.datasets.split.PatientSplitter;
import io.roentgen.datasets.split.SplitAssignment;
import io.roentgen.datasets.split.SplitCounts;
import io.roentgen.datasets.split.SplitCsvWriter;
import io.roentgen.datasets.split.SplitFractions;
import io.roentgen.engine.RoentgenException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code roentgen data split}: a patient-level split (train/validation/test or k folds), stratified
 * by label and seeded, written as a manifest CSV with a {@code split} or {@code fold} column.
 * Patient IDs the manifest lacks come from the DICOM headers (indexed once, cached beside it).
 */
@Command(
        name = "split",
        mixinStandardHelpOptions = true,
        description = {"Split a manifest by patient (no patient in two splits), stratified by label.",
            "Prints images (patients) per class per split and writes the split manifest."},
        footer = {"", "Examples:", "  roentgen data split data/demo/manifest.csv --seed 1",
            "  roentgen data split manifest.csv --folds 5 --out folds.csv --json"})
final class DataSplitCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "MANIFEST", description = "CSV manifest (path,label[,patient_id,study_uid]).")
    Path manifest;

    @Option(names = "--seed", defaultValue = "42", description = "Shuffle seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--val", defaultValue = "0.15", description = "Share of patients for validation (default ${DEFAULT-VALUE}).")
    double validation;

    @Option(names = "--test", defaultValue = "0.15", description = "Share of patients for test (default ${DEFAULT-VALUE}).")
    double test;

    @Option(names = "--folds", paramLabel = "K", description = "K folds instead of train/validation/test.")
    Integer folds;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write the split (default: MANIFEST-split.csv or MANIFEST-folds.csv beside it).")
    Path out;

    @Mixin
    ManifestFlags manifestFlags;

    @Option(names = "--on-bad-file", defaultValue = "skip", paramLabel = "skip|fail",
            description = "Skip (and list) unusable files, or stop at the first (default ${DEFAULT-VALUE}).")
    String onBadFile;

    @Option(names = "--json", description = "Print counts and skipped files as JSON.")
    boolean json;

    @Override
    public Integer call() throws RoentgenException {
        SplitFractions fractions = fractions();
        if (folds != null && folds < 2) {
            throw RoentgenException.usage("--folds must be at least 2, not " + folds);
        }
        ManifestOptions options = manifestFlags.options();
        DicomCollection collection = DicomCollection.load(manifest, options, BadFilePolicy.parse(onBadFile));
        SplitAssignment assignment = folds != null
                ? PatientSplitter.kFold(collection.manifest(), folds, seed)
                : PatientSplitter.trainValidationTest(collection.manifest(), fractions, seed);
        Path target = out != null ? out : defaultOut();
        SplitCsvWriter.write(assignment, target);
        SplitCounts counts = SplitCounts.of(assignment);
        if (json) {
            printJson(collection, assignment, counts, target);
        } else {
            printText(collection, assignment, counts, target);
        }
        return 0;
    }

    private SplitFractions fractions() throws RoentgenException {
        try {
            return new SplitFractions(validation, test);
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage(e.getMessage());
        }
    }

    private Path defaultOut() {
        String name = manifest.getFileName().toString().replaceFirst("\\.csv$", "");
        return manifest.toAbsolutePath().resolveSibling(name + (folds != null ? "-folds.csv" : "-split.csv"));
    }

    private void printText(DicomCollection collection, SplitAssignment assignment, SplitCounts counts, Path target) {
        System.out.printf("Split %d images by patient (seed %d) into %s%n", collection.manifest().size(), seed, target);
        System.out.print(counts.toTable());
        System.out.println("Patients in more than one " + assignment.column() + ": " + assignment.patientsInSeveralGroups());
        printSkipped(collection.badFiles());
    }

    static void printSkipped(BadFileReport report) {
        if (report.isEmpty()) {
            return;
        }
        System.out.println("Skipped " + report.count() + " unusable file" + (report.count() == 1 ? "" : "s") + ":");
        report.files().forEach(f -> System.out.println("  " + f.path() + ": " + f.reason()));
    }

    private void printJson(DicomCollection collection, SplitAssignment assignment, SplitCounts counts, Path target) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("out", target.toString());
        o.put("seed", seed);
        o.put("images", collection.manifest().size());
        o.put("counts", counts);
        o.put("patientsInSeveralGroups", assignment.patientsInSeveralGroups());
        o.put("skipped", badFiles(collection.badFiles()));
        System.out.println(Json.of(o));
    }

    static List<Map<String, String>> badFiles(BadFileReport report) {
        return report.files().stream().map(f -> Json.pathAndReason(f.path(), f.reason())).toList();
    }
}
