package io.roentgen.benchmarks.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import io.roentgen.training.DataParallelStep;
import io.roentgen.training.WeightedLoss;
import io.roentgen.training.data.EpochBatches;
import io.roentgen.training.data.ParallelBatchLoader;
import io.roentgen.training.optim.ParameterOptimizer;
import io.roentgen.training.run.TrainingConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The raw step, the reference of the loop-overhead benchmark: {@link DataParallelStep#step} with
 * the run's optimizer settings on the training set's own batches (one epoch's worth, decoded and
 * stacked once, then resident), on a network of the run's architecture of its own. Nothing but
 * forward, backward and the optimizer update is timed. One block is as many steps as one epoch of
 * the loop, so blocks and epochs can alternate at the same granularity.
 */
final class RawStepBlocks implements AutoCloseable {
    private final NDManager manager = NDManager.newBaseManager(Device.cpu());
    private final List<NDArray> images = new ArrayList<>();
    private final List<NDArray> labels = new ArrayList<>();
    private final DataParallelStep step;
    private final ParameterOptimizer optimizer;
    private final float learningRate;
    private int next;

    /** Reads every full batch of one shuffled epoch of {@code train} into memory. */
    RawStepBlocks(Supplier<Block> model, RandomAccessDataset train, TrainingConfig config, Shape input, double[] classWeights) {
        Block block = model.get();
        block.initialize(manager, DataType.FLOAT32, input);
        WeightedLoss loss = new WeightedLoss(config.multiLabel(), config.numClasses(), classWeights);
        step = new DataParallelStep(block, config.devices(), loss, config.maxGradientNorm());
        optimizer = ParameterOptimizer.create(config, manager);
        learningRate = (float) config.learningRate();
        try (ParallelBatchLoader loader = new ParallelBatchLoader(train, config.batchSize(), config.loaderWorkers(),
                config.prefetchBatches(), true);
             EpochBatches batches = loader.epoch(manager, OptionalLong.of(config.seed()), 0)) {
            while (batches.hasNext()) {
                try (Batch batch = batches.next()) {
                    NDArray x = batch.getData().head();
                    NDArray y = loss.normaliseLabels(batch.getLabels().head(), batch.getSize());
                    x.attach(manager); // outlives the batch's own manager
                    y.attach(manager);
                    images.add(x);
                    labels.add(y);
                }
            }
        }
    }

    int stepsPerBlock() {
        return images.size();
    }

    /** Seconds of each of {@code steps} steps, cycling through the resident batches. */
    double[] run(int steps) {
        double[] seconds = new double[steps];
        for (int i = 0; i < steps; i++) {
            int b = next++ % images.size();
            long t0 = System.nanoTime();
            step.step(images.get(b), labels.get(b), optimizer, learningRate);
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        return seconds;
    }

    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }
}
