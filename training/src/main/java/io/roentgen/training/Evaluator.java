package io.roentgen.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.dataset.Batch;
import io.roentgen.engine.torch.Autocast;
import io.roentgen.engine.torch.ChannelsLast;
import io.roentgen.engine.torch.Precision;
import io.roentgen.models.arch.InferenceBlocks;
import io.roentgen.training.data.EpochBatches;
import io.roentgen.training.data.ParallelBatchLoader;

import java.util.Map;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * Runs a block over a dataset in inference mode and collects probabilities, targets and loss.
 * It runs the block's inference form ({@link InferenceBlocks}: batch norms folded into the
 * convolutions), built from the current weights for each pass, so validation scores what a
 * bundle of these weights will score and runs as fast as the server. It runs in the training
 * precision (autocast for bf16 and fp16), so validation scores the precision the run trains in.
 */
final class Evaluator {
    private final Block block;
    private final WeightedLoss loss;
    private final Device device;
    private final int classes;
    private final boolean multiLabel;
    private final Precision precision;

    Evaluator(Block block, WeightedLoss loss, Device device, int classes, boolean multiLabel) {
        this(block, loss, device, classes, multiLabel, Precision.FP32);
    }

    Evaluator(Block block, WeightedLoss loss, Device device, int classes, boolean multiLabel, Precision precision) {
        this.precision = precision;
        this.block = block;
        this.loss = loss;
        this.device = device;
        this.classes = classes;
        this.multiLabel = multiLabel;
    }

    Predictions predict(ParallelBatchLoader loader, NDManager manager) {
        int n = Math.toIntExact(loader.size());
        double[][] probabilities = new double[n][];
        boolean[][] targets = new boolean[n][];
        double lossSum = 0;
        int row = 0;
        ReplicaParameterStore parameters = new ReplicaParameterStore(Map.of());
        try (NDManager foldedWeights = manager.newSubManager();
             EpochBatches batches = loader.epoch(manager, OptionalLong.empty(), 0)) {
            Block inferenceForm = InferenceBlocks.forInference(block, foldedWeights);
            UnaryOperator<NDArray> layout = ChannelsLast.forDevice(device);
            while (batches.hasNext()) {
                try (Batch batch = batches.next(); NDScope scope = new NDScope()) {
                    int size = batch.getSize();
                    NDArray x = layout.apply(batch.getData().head().toDevice(device, false));
                    NDArray y = loss.normaliseLabels(batch.getLabels().head(), size).toDevice(device, false);
                    NDArray logits;
                    try (Autocast.Scope amp = Autocast.on(device, precision)) {
                        logits = Autocast.toFullPrecision(inferenceForm.forward(parameters, new NDList(x), false).singletonOrThrow());
                    }
                    lossSum += size * (double) loss.compute(logits, y).getFloat();
                    float[] p = loss.probabilities(logits).toType(DataType.FLOAT32, false).toFloatArray();
                    float[] t = y.toType(DataType.FLOAT32, false).toFloatArray();
                    for (int i = 0; i < size; i++, row++) {
                        probabilities[row] = rowOf(p, i);
                        targets[row] = targetsOf(t, i);
                    }
                    scope.suppressNotUsedWarning();
                }
            }
        }
        return new Predictions(probabilities, targets, n == 0 ? Double.NaN : lossSum / n);
    }

    private double[] rowOf(float[] p, int i) {
        double[] row = new double[classes];
        for (int c = 0; c < classes; c++) {
            row[c] = p[i * classes + c];
        }
        return row;
    }

    private boolean[] targetsOf(float[] t, int i) {
        boolean[] row = new boolean[classes];
        if (multiLabel) {
            for (int c = 0; c < classes; c++) {
                row[c] = t[i * classes + c] >= 0.5f;
            }
        } else {
            row[Math.round(t[i])] = true;
        }
        return row;
    }

    /** Row i: probabilities and true labels of case i (dataset order). */
    record Predictions(double[][] probabilities, boolean[][] targets, double meanLoss) {
    }
}
