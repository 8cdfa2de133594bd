package io.roentgen.training;

import io.roentgen.datasets.manifest.BadFilePolicy;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.datasets.synth.SynthEncoding;
import io.roentgen.datasets.synth.SynthLesions;
import io.roentgen.datasets.synth.SynthModality;
import io.roentgen.datasets.synth.SynthSpec;
import io.roentgen.datasets.synth.SyntheticCollection;
import io.roentgen.dicom.image.Augmentation;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.training.data.TrainingData;
import io.roentgen.training.data.TrainingSources;
import io.roentgen.training.listen.TrainingListener;
import io.roentgen.training.run.EpochRecord;
import io.roentgen.training.run.TrainingConfig;
import io.roentgen.training.run.TrainingResult;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Small runs of {@code roentgen train} on the hard synthetic task ({@code roentgen synth
 * --difficulty hard}), for tests that tell a correct recipe from a broken one. The collection is
 * written with the synth code; the split is fixed by patient in the manifest's {@code split}
 * column (so that a break can change the training labels and leave validation's true); the data
 * goes through {@link TrainingSources} and the model through {@link TrainingRun}, with
 * {@code roentgen train}'s defaults wherever the recipe does not say otherwise.
 */
final class HardTaskRuns {
    /** What the collection looks like: image size, lesion contrast (HU), patients. */
    record Task(int size, float contrast, int patients, long seed) {}

    /** What a run changes from {@code roentgen train}'s defaults: the peak learning rate, augmentation, epochs. */
    record Recipe(String name, double learningRate, Augmentation augmentation, int epochs) {}

    /** A finished run: the best validation AUROC (what {@code roentgen train} keeps) and the curve. */
    record Outcome(String name, double bestAuroc, double lastAuroc, List<EpochRecord> history, double seconds) {
        String describe() {
            String curve = history.stream().map(e -> String.format(Locale.ROOT, "%.3f/%.3f", e.trainLoss(), e.macroAuroc()))
                    .collect(Collectors.joining(" "));
            return String.format(Locale.ROOT, "%s: best AUROC %.4f, last %.4f, %.0f s; loss/AUROC per epoch: %s",
                    name, bestAuroc, lastAuroc, seconds, curve);
        }
    }

    static final int BATCH_SIZE = 32;
    static final double VALIDATION_FRACTION = 0.4;

    private HardTaskRuns() {
    }

    /** Writes the collection into {@code directory}; returns its manifest. */
    static Path write(Path directory, Task task) throws RoentgenException {
        SynthSpec spec = new SynthSpec(task.patients(), SynthModality.CT, task.size(), List.of("normal", "nodule"), 0.5,
                SynthEncoding.EXPLICIT, task.seed()).hard(task.contrast());
        return SyntheticCollection.write(directory, spec).manifest();
    }

    /**
     * How the manifest's split is made: which patients validate (a seeded share), whether the
     * training labels are permuted among the training rows (class balance kept; validation keeps
     * the true labels), and whether training keeps only the positives whose lesion lies in the
     * left half of the image (validation keeps both sides: a task where left-right flips matter).
     */
    record Split(String name, long seed, boolean shuffleTrainingLabels, boolean trainingLesionsOnTheLeftOnly) {}

    /** A copy of the synth manifest beside it with a {@code split} column made as {@code split} says. */
    static Path splitManifest(Path synthManifest, int size, Split split) throws IOException {
        List<CSVRecord> rows;
        List<String> header;
        try (Reader in = Files.newBufferedReader(synthManifest, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(in, CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            header = parser.getHeaderNames();
            rows = parser.getRecords();
        }
        Set<String> validationPatients = validationPatients(rows, split.seed());
        List<CSVRecord> kept = new ArrayList<>();
        List<String> trainingLabels = new ArrayList<>();
        for (CSVRecord row : rows) {
            boolean validation = validationPatients.contains(row.get("patient_id"));
            if (!validation && split.trainingLesionsOnTheLeftOnly()
                    && SynthLesions.parse(row.get(SynthLesions.COLUMN)).stream().anyMatch(l -> l.x() >= size / 2.0)) {
                continue;
            }
            kept.add(row);
            if (!validation) {
                trainingLabels.add(row.get("label"));
            }
        }
        if (split.shuffleTrainingLabels()) {
            Collections.shuffle(trainingLabels, new Random(split.seed() ^ 0x5DEECE66DL));
        }
        Path out = synthManifest.resolveSibling(split.name() + ".csv");
        List<String> columns = new ArrayList<>(header);
        columns.add("split");
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            csv.printRecord(columns);
            int next = 0;
            for (CSVRecord row : kept) {
                boolean validation = validationPatients.contains(row.get("patient_id"));
                List<String> values = new ArrayList<>(row.toList());
                if (!validation) {
                    values.set(header.indexOf("label"), trainingLabels.get(next++));
                }
                values.add(validation ? "validation" : "train");
                csv.printRecord(values);
            }
        }
        return out;
    }

    private static Set<String> validationPatients(List<CSVRecord> rows, long seed) {
        List<String> patients = new ArrayList<>(rows.stream().map(r -> r.get("patient_id")).collect(Collectors.toCollection(TreeSet::new)));
        Collections.shuffle(patients, new Random(seed));
        return new TreeSet<>(patients.subList(0, (int) Math.round(VALIDATION_FRACTION * patients.size())));
    }

    /** Trains {@code small} on the manifest as {@code roentgen train --arch small} would. */
    static Outcome train(Path manifest, Path runFolder, Task task, Recipe recipe, long seed, TrainingListener... listeners)
            throws IOException, RoentgenException {
        Files.createDirectories(runFolder);
        TrainingSources.Request request = new TrainingSources.Request(manifest, runFolder, ManifestOptions.defaults(),
                BadFilePolicy.FAIL, TrainingSources.preprocessing(task.size(), 1), recipe.augmentation(), seed,
                VALIDATION_FRACTION, 0, null, task.size(), 1, BATCH_SIZE);
        TrainingData data = TrainingSources.load(request, note -> { });
        ArchitectureSpec architecture = new ArchitectureSpec("small", 1, data.classNames().size(), task.size(), false);
        // roentgen train's defaults (TrainOptions) but for the recipe's rate and epochs; no
        // bootstrap interval (it does not change what is learned).
        TrainingConfig config = TrainingConfig.builder().epochs(recipe.epochs()).batchSize(BATCH_SIZE)
                .learningRate(recipe.learningRate()).optimizer(TrainingConfig.OptimizerKind.ADAMW).weightDecay(1e-4)
                .schedule(TrainingConfig.ScheduleKind.COSINE).warmupEpochs(1).seed(seed)
                .classWeighting(TrainingConfig.ClassWeighting.AUTO).numClasses(data.classNames().size())
                .labelNames(data.classNames()).loaderWorkers(2).prefetchBatches(2).bootstrapResamples(0).build();
        long start = System.nanoTime();
        TrainingRun.Builder run = TrainingRun.builder().config(config).model(() -> small(architecture))
                .trainData(data.train()).validationData(data.validation()).runDirectory(runFolder);
        for (TrainingListener listener : listeners) {
            run.listener(listener);
        }
        try (TrainingResult result = run.build().run()) {
            List<EpochRecord> history = result.history();
            double last = history.get(history.size() - 1).macroAuroc();
            return new Outcome(recipe.name(), result.bestMacroAuroc(), last, history, (System.nanoTime() - start) / 1e9);
        }
    }

    private static ai.djl.nn.Block small(ArchitectureSpec spec) {
        try {
            return Architectures.build(spec);
        } catch (RoentgenException e) {
            throw new IllegalStateException(e);
        }
    }
}
