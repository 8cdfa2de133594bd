package io.roentgen.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import io.roentgen.datasets.EpochAware;
import io.roentgen.engine.torch.Precision;
import io.roentgen.training.ClassWeights.LabelCounts;
import io.roentgen.training.data.EpochBatches;
import io.roentgen.training.data.ParallelBatchLoader;
import io.roentgen.training.listen.TrainingListener;
import io.roentgen.training.metrics.EvaluationReport;
import io.roentgen.training.metrics.Metrics;
import io.roentgen.training.metrics.RocCurve;
import io.roentgen.training.optim.ParameterOptimizer;
import io.roentgen.training.precision.LossScaler;

import io.roentgen.training.run.EpochRecord;
import io.roentgen.training.run.TrainingConfig;
import io.roentgen.training.run.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * One training run: per epoch, train on every batch, validate, checkpoint; keep the epoch with
 * the best validation macro AUROC. With {@code resume} it continues from the furthest complete
 * checkpoint in its run folder and ends exactly where the uninterrupted run would have.
 *
 * <p>Stop requests ({@link StopSignal}) are honoured after the step in progress: if steps of the
 * epoch remain, a mid-epoch checkpoint records the position (epoch, step, partial loss), and a
 * resume continues with the next batch of the same seeded shuffle, so nothing is lost or redone.
 * After the last step of an epoch the epoch is validated and checkpointed first.
 */
public final class TrainingRun {
    private final TrainingConfig config;
    private final Supplier<Block> modelFactory;
    private final RandomAccessDataset trainData;
    private final RandomAccessDataset validationData;
    private final Path runDirectory;
    private final ResumeMode resume;
    private final List<TrainingListener> listeners;
    private final StopSignal stopSignal;
    private final LabelCounts labelCounts;
    private final NDManager parentManager;

    private TrainingRun(Builder b) {
        config = Objects.requireNonNull(b.config, "config");
        modelFactory = Objects.requireNonNull(b.modelFactory, "model");
        trainData = Objects.requireNonNull(b.trainData, "trainData");
        validationData = Objects.requireNonNull(b.validationData, "validationData");
        runDirectory = Objects.requireNonNull(b.runDirectory, "runDirectory");
        resume = b.resume;
        listeners = List.copyOf(b.listeners);
        stopSignal = b.stopSignal;
        labelCounts = b.labelCounts;
        parentManager = b.manager;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains. Failures in the data or the engine propagate; the last complete checkpoint stays
     * resumable.
     */
    public TrainingResult run() throws IOException {
        Files.createDirectories(runDirectory);
        Device device = config.devices().get(0);
        Engine engine = Engine.getInstance();
        NDManager manager = parentManager == null ? engine.newBaseManager(device) : parentManager.newSubManager(device);
        try (ParallelBatchLoader trainLoader = new ParallelBatchLoader(trainData, config.batchSize(),
                config.loaderWorkers(), config.prefetchBatches(), true);
             ParallelBatchLoader validationLoader = new ParallelBatchLoader(validationData, config.batchSize(),
                     config.loaderWorkers(), config.prefetchBatches(), false)) {
            TrainingResult result = new Loop(manager, engine, trainLoader, validationLoader).run();
            return result;
        } catch (IOException | RuntimeException | Error e) {
            manager.close();
            throw e;
        } finally {
            if (stopSignal != null) {
                stopSignal.markFinished();
            }
        }
    }

    /** The state of one run while it trains. */
    private final class Loop {
        private final NDManager manager;
        private final NDManager batchManager;
        private final Engine engine;
        private final ParallelBatchLoader trainLoader;
        private final ParallelBatchLoader validationLoader;
        private final Checkpoints checkpoints = new Checkpoints(runDirectory);
        private final List<EpochRecord> history = new ArrayList<>();
        private Block block;
        private ParameterOptimizer optimizer;
        private WeightedLoss loss;
        private DataParallelStep step;
        private LossScaler scaler;
        private LearningRateSchedule schedule;
        private double[] classWeights;
        private int epochsCompleted;
        private int stepsInEpoch;
        private long globalStep;
        private double learningRate;
        private int bestEpoch;
        private double bestAuroc = Double.NaN;
        private int epochsWithoutImprovement;
        private double partialLossSum;
        private long partialImages;
        private double partialSeconds;
        private Path lastCheckpoint;

        Loop(NDManager manager, Engine engine, ParallelBatchLoader trainLoader, ParallelBatchLoader validationLoader) {
            this.manager = manager;
            // Batches are stacked in host memory; each shard then goes straight to its own device.
            this.batchManager = manager.newSubManager(Device.cpu());
            this.engine = engine;
            this.trainLoader = trainLoader;
            this.validationLoader = validationLoader;
        }

        TrainingResult run() throws IOException {
            if (resume == ResumeMode.OFF && checkpoints.latest().isPresent()) {
                throw new IllegalArgumentException(runDirectory + " already holds checkpoints of a run: "
                        + "resume it, or train into a new run folder");
            }
            Optional<Path> from = resumeFrom();
            CheckpointState restored = from.isPresent() ? Checkpoints.readState(from.get()) : null;
            if (restored != null && !restored.config().trainsLike(config)) {
                throw new IllegalArgumentException("cannot resume " + from.get() + ": it was trained with a "
                        + "different configuration (" + restored.config().toJson().replaceAll("\\s+", " ")
                        + "); resume needs the same one");
            }
            buildModel(restored);
            if (restored != null) {
                restore(from.get(), restored);
            }
            Evaluator evaluator = new Evaluator(block, loss, config.devices().get(0), config.numClasses(), config.multiLabel(),
                    config.precision());
            for (TrainingListener l : listeners) {
                l.onTrainingStart(new TrainingListener.Start(config, runDirectory, epochsCompleted,
                        trainLoader.batchesPerEpoch(), List.copyOf(history)));
            }
            boolean stopped = false;
            boolean earlyStopped = patienceExhausted(); // a resumed run that had already stopped early
            while (epochsCompleted < config.epochs() && !stopped && !earlyStopped) {
                if (!trainEpoch()) {
                    stopped = true;
                    break;
                }
                finishEpoch(evaluator);
                earlyStopped = patienceExhausted();
                stopped = stopSignal != null && stopSignal.isStopRequested() && epochsCompleted < config.epochs();
            }
            TrainingResult result = result(evaluator, stopped, earlyStopped);
            for (TrainingListener l : listeners) {
                l.onTrainingEnd(result);
            }
            return result;
        }

        /**
         * The checkpoint to continue from, verified against its checksums: with LATEST the
         * furthest one or a {@link CheckpointIntegrity.DamagedCheckpointException}; with AUTO the
         * furthest intact one, each damaged one passed over with a line on standard error.
         */
        private Optional<Path> resumeFrom() throws IOException {
            List<Path> candidates = resume == ResumeMode.OFF ? List.of() : checkpoints.newestFirst();
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
            if (resume == ResumeMode.LATEST) {
                Checkpoints.verify(candidates.get(0));
                return Optional.of(candidates.get(0));
            }
            CheckpointIntegrity.DamagedCheckpointException last = null;
            for (Path candidate : candidates) {
                try {
                    Checkpoints.verify(candidate);
                    return Optional.of(candidate);
                } catch (CheckpointIntegrity.DamagedCheckpointException e) {
                    System.err.println("roentgen: passing over a damaged checkpoint: " + e.getMessage());
                    last = e;
                }
            }
            throw new IOException("no intact checkpoint in " + checkpoints.directory() + " (the last: " + last.getMessage() + ")", last);
        }

        private void buildModel(CheckpointState restored) throws IOException {
            engine.setRandomSeed(Seeds.engineSeed(config.seed(), Seeds.INIT, 0));
            block = modelFactory.get();
            block.initialize(manager, DataType.FLOAT32, inputShape());
            classWeights = restored != null ? restored.classWeights() : ClassWeights.resolve(config, countsIfNeeded());
            loss = new WeightedLoss(config.multiLabel(), config.numClasses(), classWeights);
            scaler = lossScaler(restored);
            step = new DataParallelStep(block, config.devices(), loss, config.maxGradientNorm(), config.precision(), scaler);
            optimizer = ParameterOptimizer.create(config, manager);
            schedule = new LearningRateSchedule(config, trainLoader.batchesPerEpoch());
        }

        /** fp16's loss scaler, continuing from a checkpoint's state; null in fp32 and bf16 (bf16 has fp32's range). */
        private LossScaler lossScaler(CheckpointState restored) {
            if (config.precision() != Precision.FP16) {
                return null;
            }
            LossScaler.State state = restored != null && restored.lossScale() != null ? restored.lossScale()
                    : new LossScaler.State((float) config.initialLossScale(), 0);
            return new LossScaler(state, LossScaler.GROWTH_INTERVAL);
        }

        private Shape inputShape() throws IOException {
            try (NDManager probe = manager.newSubManager()) {
                Record first = trainData.get(probe, 0);
                Shape sample = first.getData().head().getShape();
                long[] dims = new long[sample.dimension() + 1];
                dims[0] = 1;
                System.arraycopy(sample.getShape(), 0, dims, 1, sample.dimension());
                return new Shape(dims);
            }
        }

        private LabelCounts countsIfNeeded() {
            if (config.classWeighting() != TrainingConfig.ClassWeighting.AUTO) {
                return null;
            }
            if (labelCounts != null) {
                return labelCounts;
            }
            // Every case counts, so this pass keeps the last incomplete batch the training drops.
            try (ParallelBatchLoader all = new ParallelBatchLoader(trainData, config.batchSize(),
                    config.loaderWorkers(), config.prefetchBatches(), false)) {
                return LabelCounting.count(all, batchManager,
                        new WeightedLoss(config.multiLabel(), config.numClasses(), null), config);
            }
        }

        private void restore(Path checkpoint, CheckpointState state) throws IOException {
            Checkpoints.loadParameters(checkpoint, block, manager);
            Checkpoints.loadOptimizer(checkpoint, optimizer, state.optimizerUpdates(), manager);
            epochsCompleted = state.epochsCompleted();
            stepsInEpoch = state.stepsInEpoch();
            globalStep = state.globalStep();
            learningRate = state.learningRate();
            bestEpoch = state.bestEpoch();
            bestAuroc = state.bestMacroAuroc();
            epochsWithoutImprovement = state.epochsWithoutImprovement();
            partialLossSum = state.partialLossSum();
            partialImages = state.partialImages();
            partialSeconds = state.partialSeconds();
            history.addAll(state.history());
            lastCheckpoint = checkpoint;
        }

        /** Trains the rest of the current epoch; false if a stop request ended it early. */
        private boolean trainEpoch() throws IOException {
            int epoch = epochsCompleted + 1;
            long shuffleSeed = Seeds.derive(config.seed(), Seeds.SHUFFLE, epoch);
            if (trainData instanceof EpochAware augmented) {
                augmented.setEpoch(epoch); // new augmentation draws each epoch, the same after resume
            }
            long started = System.nanoTime();
            double secondsBefore = partialSeconds;
            try (EpochBatches batches = trainLoader.epoch(batchManager, OptionalLong.of(shuffleSeed), stepsInEpoch)) {
                while (batches.hasNext()) {
                    trainStep(batches);
                    partialSeconds = secondsBefore + (System.nanoTime() - started) / 1e9;
                    notifyStep(epoch, batches.batchesPerEpoch());
                    if (stopSignal != null && stopSignal.isStopRequested() && batches.hasNext()) {
                        lastCheckpoint = checkpoints.save(state(shuffleSeed), block, optimizer);
                        return false;
                    }
                }
            }
            return true;
        }

        private void trainStep(EpochBatches batches) {
            // Re-seeding per step makes dropout and engine-side augmentation a function of the step.
            engine.setRandomSeed(Seeds.engineSeed(config.seed(), Seeds.STEP, globalStep));
            try (Batch batch = batches.next()) {
                learningRate = schedule.rate(globalStep);
                NDArray images = batch.getData().head();
                NDArray labels = loss.normaliseLabels(batch.getLabels().head(), batch.getSize());
                float batchLoss = step.step(images, labels, optimizer, (float) learningRate);
                partialLossSum += (double) batchLoss * batch.getSize();
                partialImages += batch.getSize();
                globalStep++;
                stepsInEpoch++;
            }
        }

        private void notifyStep(int epoch, int stepsPerEpoch) {
            TrainingListener.Step progress = new TrainingListener.Step(epoch, config.epochs(), stepsInEpoch,
                    stepsPerEpoch, partialImages, partialSeconds, partialLossSum / Math.max(1, partialImages),
                    learningRate);
            listeners.forEach(l -> l.onStep(progress));
        }

        private boolean patienceExhausted() {
            return config.earlyStopPatience() > 0 && epochsWithoutImprovement >= config.earlyStopPatience();
        }

        /** Validates, records, checkpoints, tells the listeners. */
        private void finishEpoch(Evaluator evaluator) throws IOException {
            int epoch = epochsCompleted + 1;
            long started = System.nanoTime();
            Evaluator.Predictions predictions = evaluator.predict(validationLoader, batchManager);
            EvaluationReport validation = Metrics.evaluate(predictions.probabilities(), predictions.targets(),
                    config.multiLabel(), config.labelNames(), predictions.meanLoss(), 0, config.seed());
            double seconds = partialSeconds + (System.nanoTime() - started) / 1e9;
            double trainLoss = partialLossSum / Math.max(1, partialImages);
            EpochRecord record = EpochRecord.of(epoch, learningRate, trainLoss, validation,
                    partialSeconds > 0 ? partialImages / partialSeconds : 0, seconds);
            history.add(record);
            updateBest(epoch, validation.macroAuroc());
            epochsCompleted = epoch;
            stepsInEpoch = 0;
            partialLossSum = 0;
            partialImages = 0;
            partialSeconds = 0;
            lastCheckpoint = checkpoints.save(state(Seeds.derive(config.seed(), Seeds.SHUFFLE, epoch + 1)), block, optimizer);
            checkpoints.deleteStopsBefore(epoch);
            TrainingListener.EpochEnd end = new TrainingListener.EpochEnd(record, config.epochs(), validation,
                    rocCurves(predictions));
            for (TrainingListener l : listeners) {
                l.onEpochEnd(end);
            }
        }

        /**
         * Best = highest validation AUROC; on a tie (easy data saturates at 1.0 early) the lower
         * validation loss wins, so the kept epoch is also the better calibrated one. Early stopping
         * counts epochs without a higher AUROC. NaN (e.g. a validation set with one class) never
         * counts as better, except for the first epoch.
         */
        private void updateBest(int epoch, double auroc) {
            boolean aurocImproved = bestEpoch == 0 || auroc > bestAuroc || (Double.isNaN(bestAuroc) && !Double.isNaN(auroc));
            boolean tieWithLowerLoss = !aurocImproved && auroc == bestAuroc
                    && history.get(epoch - 1).valLoss() < history.get(bestEpoch - 1).valLoss();
            if (aurocImproved || tieWithLowerLoss) {
                bestEpoch = epoch;
                bestAuroc = auroc;
            }
            epochsWithoutImprovement = aurocImproved ? 0 : epochsWithoutImprovement + 1;
        }

        private List<RocCurve> rocCurves(Evaluator.Predictions predictions) {
            List<RocCurve> curves = new ArrayList<>();
            for (int c = 0; c < config.numClasses(); c++) {
                curves.add(RocCurve.of(Metrics.column(predictions.probabilities(), c),
                        Metrics.column(predictions.targets(), c)));
            }
            return curves;
        }

        private CheckpointState state(long shuffleSeed) {
            return new CheckpointState(CheckpointState.FORMAT_VERSION, config, epochsCompleted, stepsInEpoch,
                    globalStep, optimizer.updates(), learningRate, shuffleSeed,
                    Seeds.engineSeed(config.seed(), Seeds.STEP, globalStep), bestEpoch, bestAuroc,
                    epochsWithoutImprovement, partialLossSum, partialImages, partialSeconds, classWeights,
                    List.copyOf(history), scaler == null ? null : scaler.state());
        }

        private TrainingResult result(Evaluator evaluator, boolean stopped, boolean earlyStopped) throws IOException {
            Path best = bestEpoch == 0 ? null : checkpoints.pathFor(bestEpoch, 0);
            EvaluationReport bestValidation = null;
            if (!stopped && best != null) {
                Checkpoints.verify(best);
                Checkpoints.loadParameters(best, block, manager);
                Evaluator.Predictions predictions = evaluator.predict(validationLoader, batchManager);
                bestValidation = Metrics.evaluate(predictions.probabilities(), predictions.targets(),
                        config.multiLabel(), config.labelNames(), predictions.meanLoss(),
                        config.bootstrapResamples(), config.seed());
            }
            optimizer.close();
            return new TrainingResult(bestEpoch, history, stopped, earlyStopped, best, lastCheckpoint,
                    bestValidation, block, parentManager == null ? manager : null);
        }
    }

    /** Collects the run's parts; all but listeners, stop signal, label counts and manager are required. */
    public static final class Builder {
        private TrainingConfig config;
        private Supplier<Block> modelFactory;
        private RandomAccessDataset trainData;
        private RandomAccessDataset validationData;
        private Path runDirectory;
        private ResumeMode resume = ResumeMode.OFF;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private StopSignal stopSignal;
        private LabelCounts labelCounts;
        private NDManager manager;

        private Builder() {
        }

        public Builder config(TrainingConfig v) { config = v; return this; }
        /** Makes a fresh, uninitialised block; called once per run, after seeding the engine. */
        public Builder model(Supplier<Block> v) { modelFactory = v; return this; }
        public Builder trainData(RandomAccessDataset v) { trainData = v; return this; }
        public Builder validationData(RandomAccessDataset v) { validationData = v; return this; }
        /** {@code runs/NAME}: checkpoints, metrics.jsonl and charts go here. */
        public Builder runDirectory(Path v) { runDirectory = v; return this; }
        /** Continue from the furthest complete checkpoint in the run folder, if there is one. */
        public Builder resume(boolean v) { resume = v ? ResumeMode.LATEST : ResumeMode.OFF; return this; }
        /** How to pick the checkpoint to continue from; see {@link ResumeMode}. */
        public Builder resume(ResumeMode v) { resume = java.util.Objects.requireNonNull(v); return this; }
        public Builder listener(TrainingListener v) { listeners.add(v); return this; }
        public Builder stopSignal(StopSignal v) { stopSignal = v; return this; }
        /** Label counts of the training set for {@code auto} weights; else counted with one pass. */
        public Builder labelCounts(LabelCounts v) { labelCounts = v; return this; }
        /** Parameters live in a sub-manager of this one (caller-owned); else the result owns them. */
        public Builder manager(NDManager v) { manager = v; return this; }

        public TrainingRun build() {
            return new TrainingRun(this);
        }
    }
}
