package io.roentgen.benchmarks.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.roentgen.benchmarks.Stats;
import io.roentgen.datasets.manifest.BadFilePolicy;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.datasets.synth.SynthEncoding;
import io.roentgen.datasets.synth.SynthModality;
import io.roentgen.datasets.synth.SynthSpec;
import io.roentgen.datasets.synth.SyntheticCollection;
import io.roentgen.dicom.image.Augmentation;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.FileTrees;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.training.DataParallelStep;
import io.roentgen.training.TrainingRun;
import io.roentgen.training.WeightedLoss;
import io.roentgen.training.data.TrainingData;
import io.roentgen.training.data.TrainingSources;
import io.roentgen.training.listen.TrainingListener;
import io.roentgen.training.optim.ParameterOptimizer;
import io.roentgen.training.run.EpochRecord;
import io.roentgen.training.run.TrainingConfig;
import io.roentgen.training.run.TrainingResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training loop's overhead per step against the raw step (issue 23), on the hard synthetic
 * task with {@code small}: what {@code roentgen train} does per step beyond the forward, backward
 * and AdamW update (waiting for the loader's decoding and augmentation, batch stacking, the loss
 * bookkeeping, listeners), and per epoch (validation, metrics, the checkpoint), spread over the
 * steps.
 *
 * <p>The raw step is {@link DataParallelStep#step} on a batch already in memory, the same
 * network, batch size and optimizer, timed after the run (the mean of 40 steps after 10 warm-up
 * steps; before the run too, for reference). The loop is a real {@link TrainingRun} over DICOM
 * files written by the synth code, with {@code roentgen train}'s defaults (threads and loader
 * threads = cores, mild augmentation, AdamW, cosine, 1,000 bootstrap resamples), measured over the
 * epochs after the first: the training phase per step from each epoch's images/s, the checkpoint
 * as the time from the last step to the epoch's end less validation.
 *
 * <p>{@code java -cp roentgen.jar:pytorch-native-cpu.jar io.roentgen.benchmarks.training.TrainingLoopOverhead [SIZE [PATIENTS [EPOCHS [LOADER_THREADS [cache]]]]]}
 * (defaults 64, 200, 10, cores, no cache; the intra-op threads come from
 * {@code ROENTGEN_INTRA_OP_THREADS}, as for {@code roentgen train}; {@code cache} trains from
 * {@code train --cache}'s float16 tensors, filled in the first epoch, instead of decoding DICOM).
 */
public final class TrainingLoopOverhead {
    private static final int BATCH = 32;
    private static final int RAW_STEPS = 40;
    private static final int RAW_WARMUP = 10;

    private TrainingLoopOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int patients = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int loaderThreads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        boolean cache = args.length > 4 && "cache".equals(args[4]);
        EngineSettings.fromEnvironment().apply();
        Path dir = Files.createTempDirectory("roentgen-loop-overhead");
        try {
            Path manifest = SyntheticCollection.write(dir.resolve("synth"), new SynthSpec(patients, SynthModality.CT, size,
                    List.of("normal", "nodule"), 0.5, SynthEncoding.EXPLICIT, 23).hard(220)).manifest();
            TrainingData data = TrainingSources.load(new TrainingSources.Request(manifest, dir.resolve("run"),
                    ManifestOptions.defaults(), BadFilePolicy.FAIL, TrainingSources.preprocessing(size, 1),
                    Augmentation.mild(), 42, 0.25, 0, cache ? dir.resolve("cache") : null, size, 1, BATCH), line -> { });
            ArchitectureSpec architecture = new ArchitectureSpec("small", 1, 2, size, false);
            TrainingConfig config = TrainingConfig.builder().epochs(epochs).batchSize(BATCH).seed(42)
                    .classWeighting(TrainingConfig.ClassWeighting.AUTO).numClasses(2).labelNames(data.classNames())
                    .loaderWorkers(loaderThreads).prefetchBatches(2).build();
            double rawBefore = rawStepSeconds(architecture, config, size);
            int[] stepsPerEpoch = new int[1];
            List<Double> afterLastStep = new ArrayList<>();
            TrainingListener steps = new TrainingListener() {
                private long lastStep;

                @Override
                public void onTrainingStart(Start start) {
                    stepsPerEpoch[0] = start.stepsPerEpoch();
                }

                @Override
                public void onStep(Step step) {
                    lastStep = System.nanoTime();
                }

                @Override
                public void onEpochEnd(EpochEnd end) {
                    afterLastStep.add((System.nanoTime() - lastStep) / 1e9); // validation, metrics, checkpoint
                }
            };
            long started = System.nanoTime();
            List<EpochRecord> history;
            try (TrainingResult result = TrainingRun.builder().config(config).model(() -> build(architecture))
                    .trainData(data.train()).validationData(data.validation()).runDirectory(dir.resolve("run"))
                    .listener(steps).build().run()) {
                history = result.history();
            }
            double wall = (System.nanoTime() - started) / 1e9;
            double rawAfter = rawStepSeconds(architecture, config, size);
            System.out.printf(Locale.ROOT, "threads: %s, %d loader threads%s%n", EngineSettings.fromEnvironment(), loaderThreads,
                    cache ? ", tensor cache" : "");
            report(size, data, history, afterLastStep, stepsPerEpoch[0], wall, rawBefore, rawAfter);
        } finally {
            FileTrees.deleteQuietly(dir);
        }
    }

    /**
     * Steady state: epochs after the first (the JIT and the allocator warm up in the first), against
     * the raw step timed after the run.
     */
    private static void report(int size, TrainingData data, List<EpochRecord> history, List<Double> afterLastStep,
            int stepsPerEpoch, double wall, double rawBefore, double raw) {
        int epochs = history.size();
        double training = 0;
        double validation = 0;
        double checkpoints = 0;
        double all = 0;
        for (int e = 1; e < epochs; e++) {
            EpochRecord record = history.get(e);
            double trainingSeconds = stepsPerEpoch * BATCH / record.imagesPerSecond();
            training += trainingSeconds;
            validation += record.seconds() - trainingSeconds;
            checkpoints += afterLastStep.get(e) - (record.seconds() - trainingSeconds);
        }
        for (EpochRecord record : history) {
            all += record.seconds();
        }
        long steps = (long) stepsPerEpoch * (epochs - 1);
        double loopStep = training / steps;
        double checkpointStep = checkpoints / steps;
        System.out.printf(Locale.ROOT, "small %dx%d, batch %d: %d training and %d validation images, %d epochs of %d steps%n",
                size, size, BATCH, data.train().size(), data.validation().size(), epochs, stepsPerEpoch);
        System.out.printf(Locale.ROOT, "raw step (mean, after the run): %.2f ms (before the run %.2f)%n", 1e3 * raw, 1e3 * rawBefore);
        System.out.printf(Locale.ROOT, "epochs 2-%d, per step: training phase %.2f ms = raw %+.1f%% (loading, stacking, loss, listeners)%n",
                epochs, 1e3 * loopStep, 100 * (loopStep / raw - 1));
        System.out.printf(Locale.ROOT, "  checkpoint %.2f ms/step (%.0f ms per epoch) = %+.1f%%; with it %+.1f%%%n", 1e3 * checkpointStep,
                1e3 * checkpoints / (epochs - 1), 100 * checkpointStep / raw, 100 * ((loopStep + checkpointStep) / raw - 1));
        System.out.printf(Locale.ROOT, "  validation and metrics %.0f ms per epoch (%d images; a forward pass, not step overhead)%n",
                1e3 * validation / (epochs - 1), data.validation().size());
        System.out.printf(Locale.ROOT, "whole run %.1f s, of it %.1f s outside the epochs (model, class-count pass, the best epoch's report)%n",
                wall, wall - all - sum(afterLastStep) + sumValidation(history, stepsPerEpoch));
    }

    private static double sum(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Seconds of validation over all epochs (in both the records and the gaps after the last step). */
    private static double sumValidation(List<EpochRecord> history, int stepsPerEpoch) {
        double total = 0;
        for (EpochRecord record : history) {
            total += record.seconds() - stepsPerEpoch * BATCH / record.imagesPerSecond();
        }
        return total;
    }

    /** Mean seconds of {@value #RAW_STEPS} steps on one resident batch, after {@value #RAW_WARMUP} warm-up steps. */
    private static double rawStepSeconds(ArchitectureSpec architecture, TrainingConfig config, int size) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block block = build(architecture);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, size, size));
            WeightedLoss loss = new WeightedLoss(false, 2, null);
            DataParallelStep step = new DataParallelStep(block, config.devices(), loss);
            NDArray images = manager.randomNormal(new Shape(BATCH, 1, size, size));
            NDArray labels = loss.normaliseLabels(manager.randomInteger(0, 2, new Shape(BATCH), DataType.INT32)
                    .toType(DataType.FLOAT32, false), BATCH);
            double[] seconds = new double[RAW_STEPS];
            try (ParameterOptimizer optimizer = ParameterOptimizer.create(config, manager)) {
                for (int i = -RAW_WARMUP; i < RAW_STEPS; i++) {
                    long t0 = System.nanoTime();
                    step.step(images, labels, optimizer, 1e-3f);
                    if (i >= 0) {
                        seconds[i] = (System.nanoTime() - t0) / 1e9;
                    }
                }
            }
            double sum = 0;
            for (double s : seconds) {
                sum += s;
            }
            System.out.printf(Locale.ROOT, "  raw steps: median %.2f ms, mean %.2f ms%n", 1e3 * Stats.median(seconds), 1e3 * sum / RAW_STEPS);
            return sum / RAW_STEPS;
        }
    }

    private static Block build(ArchitectureSpec spec) {
        try {
            return Architectures.build(spec);
        } catch (RoentgenException e) {
            throw new IllegalStateException(e);
        }
    }
}
