package io.roentgen.benchmarks.training;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.roentgen.datasets.manifest.BadFilePolicy;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.datasets.synth.HardPhantom;
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
import io.roentgen.training.data.TrainingData;
import io.roentgen.training.data.TrainingSources;
import io.roentgen.training.listen.Charts;
import io.roentgen.training.listen.MetricsJsonlWriter;
import io.roentgen.training.listen.ProgressPrinter;
import io.roentgen.training.listen.RunSummaryWriter;
import io.roentgen.training.run.TrainingConfig;
import io.roentgen.training.run.TrainingResult;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The training loop's overhead per step against the raw step (issue 23), on the hard synthetic
 * task with {@code small}: what {@code roentgen train} does per step beyond the forward, backward
 * and AdamW update (waiting for the loader's decoding and augmentation, batch stacking, the loss
 * bookkeeping, the listeners), and per epoch (checkpoint, metrics files, charts), spread over the
 * steps.
 *
 * <p>The loop is a real {@link TrainingRun} over DICOM files written by the synth code, with
 * {@code roentgen train}'s defaults (mild augmentation, AdamW, cosine, auto class weights) and its
 * four listeners. The raw step is {@link DataParallelStep#step} on the same training batches, held
 * in memory ({@link RawStepBlocks}). Raw blocks of one epoch's steps alternate with the loop's
 * epochs in the same thread ({@link InterleavedTiming}): each epoch is compared with the mean of
 * the raw blocks just before and after it, and the report gives the median and interquartile
 * range of that per-step ratio over the epochs after the first (the first warms the JIT and the
 * allocator).
 *
 * <p>{@code java -cp roentgen.jar:pytorch-native-cpu.jar io.roentgen.benchmarks.training.TrainingLoopOverhead [SIZE [PATIENTS [EPOCHS [LOADER_THREADS [cache]]]]]}
 * (defaults 32, 500, 30, 1, no cache; the intra-op threads come from
 * {@code ROENTGEN_INTRA_OP_THREADS}, as for {@code roentgen train}; {@code cache} trains from
 * {@code train --cache}'s float16 tensors, filled in the first epoch, instead of decoding DICOM).
 */
public final class TrainingLoopOverhead {
    private static final int BATCH = 32;

    private TrainingLoopOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int patients = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int loaderThreads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        boolean cache = args.length > 4 && "cache".equals(args[4]);
        EngineSettings.fromEnvironment().apply();
        Path dir = Files.createTempDirectory("roentgen-loop-overhead");
        try {
            Path manifest = SyntheticCollection.write(dir.resolve("synth"), new SynthSpec(patients, SynthModality.CT, size,
                    List.of("normal", "nodule"), 0.5, SynthEncoding.EXPLICIT, 23).hard(HardPhantom.DEFAULT_CONTRAST)).manifest();
            TrainingData data = TrainingSources.load(new TrainingSources.Request(manifest, dir.resolve("run"),
                    ManifestOptions.defaults(), BadFilePolicy.FAIL, TrainingSources.preprocessing(size, 1),
                    Augmentation.mild(), 42, 0.25, 0, cache ? dir.resolve("cache") : null, size, 1, BATCH), line -> { });
            ArchitectureSpec architecture = new ArchitectureSpec("small", 1, 2, size, false);
            TrainingConfig config = TrainingConfig.builder().epochs(epochs).batchSize(BATCH).seed(42)
                    .classWeighting(TrainingConfig.ClassWeighting.AUTO).numClasses(2).labelNames(data.classNames())
                    .loaderWorkers(loaderThreads).prefetchBatches(2).build();
            try (RawStepBlocks raw = new RawStepBlocks(() -> build(architecture), data.train(), config,
                    new Shape(1, 1, size, size), new double[] {1, 1})) {
                InterleavedTiming timing = new InterleavedTiming(raw);
                List<TimedListener> cliListeners = List.of(
                        new TimedListener("progress", new ProgressPrinter(new PrintStream(OutputStream.nullOutputStream()), false)),
                        new TimedListener("metrics.jsonl", new MetricsJsonlWriter()), new TimedListener("charts", new Charts()),
                        new TimedListener("summary", new RunSummaryWriter()));
                TrainingRun.Builder run = TrainingRun.builder().config(config).model(() -> build(architecture))
                        .trainData(data.train()).validationData(data.validation()).runDirectory(dir.resolve("run"));
                cliListeners.forEach(run::listener);
                long started = System.nanoTime();
                try (TrainingResult result = run.listener(timing).build().run()) {
                    System.out.printf(Locale.ROOT, "threads: %s, %d loader thread(s)%s; whole run %.1f s%n",
                            EngineSettings.fromEnvironment(), loaderThreads, cache ? ", tensor cache" : "",
                            (System.nanoTime() - started) / 1e9);
                }
                System.out.printf(Locale.ROOT, "small %dx%d, batch %d: %d training and %d validation images, %d epochs of %d steps%n",
                        size, size, BATCH, data.train().size(), data.validation().size(), epochs, raw.stepsPerBlock());
                new OverheadReport(timing, BATCH).print(System.out);
                for (TimedListener l : cliListeners) {
                    System.out.printf(Locale.ROOT, "  listener %-13s %.3f ms per step, %.1f ms per epoch end%n", l.name(),
                            1e3 * l.stepSeconds() / ((long) epochs * raw.stepsPerBlock()), 1e3 * l.epochEndSeconds() / epochs);
                }
            }
        } finally {
            FileTrees.deleteQuietly(dir);
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
