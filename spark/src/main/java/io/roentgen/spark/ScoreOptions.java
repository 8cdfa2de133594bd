package io.roentgen.spark;

import java.io.Serializable;

/**
 * How {@link RoentgenSpark#score} runs.
 *
 * @param batchSize      images per forward pass within a task
 * @param intraOpThreads libtorch threads per executor JVM; 0 follows {@code spark.task.cpus}
 * @param partitions     repartition the input into this many partitions first; 0 keeps the input's
 */
public record ScoreOptions(int batchSize, int intraOpThreads, int partitions) implements Serializable {

    public ScoreOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (intraOpThreads < 0 || partitions < 0) {
            throw new IllegalArgumentException("threads and partitions must be 0 (automatic) or more");
        }
    }

    /** Batches of 16 (as {@code roentgen predict}), threads from {@code spark.task.cpus}, partitions as given. */
    public static ScoreOptions defaults() {
        return new ScoreOptions(16, 0, 0);
    }

    public ScoreOptions withBatchSize(int value) {
        return new ScoreOptions(value, intraOpThreads, partitions);
    }

    public ScoreOptions withPartitions(int value) {
        return new ScoreOptions(batchSize, intraOpThreads, value);
    }

    public ScoreOptions withIntraOpThreads(int value) {
        return new ScoreOptions(batchSize, value, partitions);
    }
}
