package io.roentgen.training.data;

import java.util.OptionalLong;
import java.util.SplittableRandom;

/** The order in which one epoch visits the dataset: identity, or a seeded Fisher–Yates shuffle. */
final class EpochOrder {

    private EpochOrder() {
    }

    static int[] of(long size, OptionalLong shuffleSeed) {
        int n = Math.toIntExact(size);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffleSeed.isPresent()) {
            SplittableRandom random = new SplittableRandom(shuffleSeed.getAsLong());
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return order;
    }
}
