package io.roentgen.training.metrics;

/** Multi-class confusion counts: rows are the true class, columns the predicted (arg-max) class. */
public record ConfusionMatrix(long[][] counts) {

    public static ConfusionMatrix of(int[] truth, int[] predicted, int classes) {
        long[][] counts = new long[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            counts[truth[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts);
    }

    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }
}
