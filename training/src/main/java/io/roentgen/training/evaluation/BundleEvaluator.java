package io.roentgen.training.evaluation;

import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.scoring.DicomScorer;
import io.roentgen.models.scoring.FileScore;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Evaluates a classifier on a labelled CSV manifest: reads the rows (of one split, or all),
 * scores their images and measures the scores against the labels ({@link Measurement}). The
 * manifest's classes must be the classifier's labels.
 */
public final class BundleEvaluator {
    /** What to evaluate on and how: {@code split} null for every row, {@code bootstrap} 0 for no intervals. */
    public record Settings(Path manifest, String split, int batchSize, int bootstrap, long seed) {
        public Settings {
            if (batchSize < 1 || bootstrap < 0) {
                throw new IllegalArgumentException("batch size must be at least 1 and bootstrap at least 0");
            }
        }
    }

    private BundleEvaluator() {}

    /** Scores every row; {@code each} sees every file's score as it comes, failures included. */
    public static EvaluationResult evaluate(Classifier classifier, Settings settings, Consumer<FileScore> each)
            throws RoentgenException {
        ModelCard card = classifier.card();
        List<ManifestEntry> entries = entries(card, settings.manifest(), settings.split());
        List<Path> files = entries.stream().map(ManifestEntry::path).toList();
        List<FileScore> scored = new DicomScorer(classifier, settings.batchSize()).score(files, each);
        return Measurement.of(card, settings, entries, scored);
    }

    /** The manifest's rows in the split; none is a usage error that names the splits there are. */
    static List<ManifestEntry> entries(ModelCard card, Path csv, String split) throws RoentgenException {
        ManifestOptions options = ManifestOptions.defaults().withClassNames(card.labels());
        Manifest manifest = Manifest.readCsv(csv, card.multiLabel() ? options.withMultiLabel() : options);
        List<ManifestEntry> entries = manifest.entries().stream()
                .filter(e -> split == null || split.equalsIgnoreCase(e.split())).toList();
        if (entries.isEmpty()) {
            TreeSet<String> splits = new TreeSet<>();
            manifest.entries().forEach(e -> splits.add(String.valueOf(e.split())));
            throw RoentgenException.usage(csv + ": no rows" + (split == null ? "" : " in split '" + split
                    + "'; splits present: " + String.join(", ", splits)));
        }
        return entries;
    }
}
