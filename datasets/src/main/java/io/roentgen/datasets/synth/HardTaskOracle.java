package io.roentgen.datasets.synth;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The hard task's measured ceiling: an oracle that is told each image's anatomy and the lesion's
 * shape, but not where the lesion is, subtracts the anatomy and takes the maximum of the matched
 * filter (the lesion template correlated with the rest) over the image. Its AUROC over paired
 * positive and normal images is the best a detector of that one lesion can do at a size and
 * contrast; a trained network's AUROC is read against it.
 */
public final class HardTaskOracle {
    private HardTaskOracle() {
    }

    /** The oracle's AUROC on {@code perClass} positive and {@code perClass} normal images (seeds 0, 1, 2, ...). */
    public static double ceiling(int size, float contrast, int perClass) {
        return auroc(size, contrast, perClass, image -> matchedFilterMaximum(image, size));
    }

    /** The AUROC of any per-image score on the same images as {@link #ceiling}. */
    public static double auroc(int size, float contrast, int perClass, ToDoubleFunction<HardPhantom.Image> score) {
        double[] positives = new double[perClass];
        double[] negatives = new double[perClass];
        for (int i = 0; i < perClass; i++) {
            positives[i] = score.applyAsDouble(HardPhantom.paint(size, new SplittableRandom(2L * i), true, contrast));
            negatives[i] = score.applyAsDouble(HardPhantom.paint(size, new SplittableRandom(2L * i + 1), false, contrast));
        }
        return mannWhitney(positives, negatives);
    }

    /** Max over positions of the template correlated with (image - anatomy). */
    static double matchedFilterMaximum(HardPhantom.Image image, int size) {
        float[] template = HardPhantom.lesionTemplate(size);
        int width = (int) Math.round(Math.sqrt(template.length));
        int r = width / 2;
        float[] rest = new float[image.hu().length];
        for (int i = 0; i < rest.length; i++) {
            rest[i] = image.hu()[i] - image.anatomy()[i];
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int y = r; y < size - r; y++) {
            for (int x = r; x < size - r; x++) {
                double sum = 0;
                for (int ty = 0; ty < width; ty++) {
                    int row = (y + ty - r) * size + x - r;
                    for (int tx = 0; tx < width; tx++) {
                        sum += template[ty * width + tx] * rest[row + tx];
                    }
                }
                best = Math.max(best, sum);
            }
        }
        return best;
    }

    /** P(positive score > negative score), ties counting one half. */
    private static double mannWhitney(double[] positives, double[] negatives) {
        double[] sorted = negatives.clone();
        Arrays.sort(sorted);
        double wins = 0;
        for (double p : positives) {
            int below = bound(sorted, p, false);
            int notAbove = bound(sorted, p, true);
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double) positives.length * negatives.length);
    }

    /** The count of sorted values below {@code v} (or at or below it, {@code inclusive}). */
    private static int bound(double[] sorted, double v, boolean inclusive) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v || (inclusive && sorted[mid] == v)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
