package io.roentgen.cli;

import io.roentgen.dicom.image.FloatImage;
import io.roentgen.models.Classifier;
import io.roentgen.models.Scores;
import io.roentgen.models.explain.RawCam;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deletion and insertion curves (Petsiuk et al. 2018, RISE) perturbed one cell of the explanation
 * at a time: the cells are the target layer's feature-map positions, each a block of input pixels
 * (4 x 4 at 64 px for {@code small}'s 16 x 16 map). The map's order and the random baseline's order
 * move the same blocks, as in Samek et al.'s region perturbation (2017; Quantus's
 * {@code RegionPerturbation} with {@code order="random"}), so the two curves differ only in which
 * cells come first, not in the shape of what was moved (docs/DECISIONS.md).
 *
 * <p>Both curves remove cells the same way, ROAD's (Rong et al. 2022): an absent cell's pixels are
 * imputed from the pixels around them ({@link NoisyLinearImputation}), not set to a substrate.
 * Deletion removes the cells in order; insertion keeps the cells inserted so far and imputes the
 * rest, which is ROAD's least-relevant-first removal read backwards. With no cell present the image
 * is its own mean, the same for both orders.
 */
final class CellPerturbation {
    /** Points on each curve after the first: an eighth of the cells per step. */
    static final int STEPS = 8;

    /** Seeds the imputation noise of each curve: the same draws for the map's order and the random one. */
    private static final long NOISE_SEED = 11;

    private final Classifier classifier;
    private final String label;

    CellPerturbation(Classifier classifier, String label) {
        this.classifier = classifier;
        this.label = label;
    }

    /** An order of a grid's cells (row-major indices, first perturbed first). */
    record CellOrder(int[] cells, int rows, int columns) {}

    /** A uniformly random order of the map's cells, seeded: the baseline. */
    static CellOrder random(RawCam raw, long seed) {
        int[] cells = new int[raw.height() * raw.width()];
        for (int k = 0; k < cells.length; k++) {
            cells[k] = k;
        }
        Random random = new Random(seed);
        for (int k = cells.length - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            int t = cells[k];
            cells[k] = cells[j];
            cells[j] = t;
        }
        return new CellOrder(cells, raw.height(), raw.width());
    }

    /**
     * The cells by the raw map, most evidence first. Ties (a Grad-CAM map is 0 wherever the ReLU cut)
     * follow {@code tieBreak}, the image's random order, not raster order, which would sweep the rest
     * of the image from the top.
     */
    static CellOrder byMap(RawCam raw, CellOrder tieBreak) {
        float[] map = raw.map();
        int[] rank = new int[map.length];
        for (int k = 0; k < tieBreak.cells().length; k++) {
            rank[tieBreak.cells()[k]] = k;
        }
        Integer[] order = new Integer[map.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (a, b) -> map[a] != map[b] ? Float.compare(map[b], map[a]) : Integer.compare(rank[a], rank[b]));
        int[] cells = new int[order.length];
        for (int k = 0; k < cells.length; k++) {
            cells[k] = order[k];
        }
        return new CellOrder(cells, raw.height(), raw.width());
    }

    /** The mean probability curve of {@link #label} over the images, {@link #STEPS} + 1 points. */
    double[] meanCurve(List<FloatImage> images, List<CellOrder> orders, boolean deletion) throws Exception {
        double[] mean = new double[STEPS + 1];
        for (int i = 0; i < images.size(); i++) {
            double[] c = curve(images.get(i), orders.get(i), deletion);
            for (int s = 0; s <= STEPS; s++) {
                mean[s] += c[s] / images.size();
            }
        }
        return mean;
    }

    /** Area under a curve over [0, 1] (trapezoids); the mean curve's area is the mean of the images' areas. */
    static double auc(double[] curve) {
        double sum = 0;
        for (int s = 0; s < curve.length; s++) {
            sum += (s == 0 || s == curve.length - 1) ? curve[s] / 2 : curve[s];
        }
        return sum / (curve.length - 1);
    }

    /** One image's curve: the first point with every cell present (deletion) or none (insertion), then a step's cells at a time. */
    private double[] curve(FloatImage image, CellOrder order, boolean deletion) throws Exception {
        float[] present = new float[order.cells().length];
        java.util.Arrays.fill(present, deletion ? 1 : 0);
        Random noise = new Random(NOISE_SEED);
        List<FloatImage> steps = new ArrayList<>();
        steps.add(with(image, present, order, noise));
        int n = order.cells().length;
        int done = 0;
        for (int s = 0; s < STEPS; s++) {
            int end = (int) Math.round((s + 1) * (double) n / STEPS);
            for (; done < end; done++) {
                present[order.cells()[done]] = deletion ? 0 : 1;
            }
            steps.add(with(image, present, order, noise));
        }
        List<Scores> scores = classifier.predict(steps);
        double[] curve = new double[scores.size()];
        for (int s = 0; s < scores.size(); s++) {
            curve[s] = scores.get(s).probability(label);
        }
        return curve;
    }

    /** The image with only the {@code present} cells (1 present, 0 absent) kept, the rest imputed, each channel alike. */
    private static FloatImage with(FloatImage image, float[] present, CellOrder order, Random noise) {
        int h = image.height();
        int w = image.width();
        int plane = h * w;
        float[] pixels = blocks(present, order.rows(), order.columns(), h, w);
        boolean[] kept = new boolean[plane];
        for (int i = 0; i < plane; i++) {
            kept[i] = pixels[i] > 0.5f;
        }
        float[] data = image.data();
        float[] out = new float[data.length];
        for (int ch = 0; ch < image.channels(); ch++) {
            float[] channel = java.util.Arrays.copyOfRange(data, ch * plane, (ch + 1) * plane);
            System.arraycopy(NoisyLinearImputation.impute(channel, kept, h, w, noise), 0, out, ch * plane, plane);
        }
        return new FloatImage(out, image.channels(), h, w);
    }

    /** Each cell's value over its block of pixels: rows {@code r*H/rows} up to {@code (r+1)*H/rows}, likewise columns. */
    private static float[] blocks(float[] grid, int rows, int columns, int height, int width) {
        float[] out = new float[height * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                for (int y = r * height / rows; y < (r + 1) * height / rows; y++) {
                    java.util.Arrays.fill(out, y * width + c * width / columns, y * width + (c + 1) * width / columns,
                            grid[r * columns + c]);
                }
            }
        }
        return out;
    }
}
