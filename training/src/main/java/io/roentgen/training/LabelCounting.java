package io.roentgen.training;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.Batch;
import io.roentgen.training.ClassWeights.LabelCounts;
import io.roentgen.training.data.EpochBatches;
import io.roentgen.training.data.ParallelBatchLoader;

import io.roentgen.training.run.TrainingConfig;
import java.util.OptionalLong;

/** One pass over the training labels to count each class (for automatic class weights). */
final class LabelCounting {

    private LabelCounting() {
    }

    static LabelCounts count(ParallelBatchLoader loader, NDManager manager, WeightedLoss loss, TrainingConfig config) {
        long[] positives = new long[config.numClasses()];
        long total = 0;
        try (EpochBatches batches = loader.epoch(manager, OptionalLong.empty(), 0)) {
            while (batches.hasNext()) {
                try (Batch batch = batches.next()) {
                    float[] labels = loss.normaliseLabels(batch.getLabels().head(), batch.getSize())
                            .toType(DataType.FLOAT32, false).toFloatArray();
                    total += batch.getSize();
                    if (config.multiLabel()) {
                        for (int i = 0; i < labels.length; i++) {
                            if (labels[i] >= 0.5f) positives[i % positives.length]++;
                        }
                    } else {
                        for (float label : labels) {
                            positives[Math.round(label)]++;
                        }
                    }
                }
            }
        }
        return new LabelCounts(positives, total);
    }
}
