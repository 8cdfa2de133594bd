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
 * <p>Substrates as RISE's: deletion sets pixels to 0 (the training mean after normalisation);
 * insertion starts from the image blurred (see {@link #blurred}) and puts the cells back.
 */
final class CellPerturbation {
    /** Points on each curve after the first: an eighth of the cells per step. */
    static final int STEPS = 8;

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

    /** One image's curve: the first point unperturbed (or all substrate), then a step's cells at a time. */
    private double[] curve(FloatImage image, CellOrder order, boolean deletion) throws Exception {
        float[] data = image.data();
        float[] substrate = deletion ? new float[data.length] : blurred(image);
        float[] current = deletion ? data.clone() : substrate.clone();
        float[] source = deletion ? substrate : data;
        List<FloatImage> steps = new ArrayList<>();
        steps.add(new FloatImage(current.clone(), image.channels(), image.height(), image.width()));
        int n = order.cells().length;
        int done = 0;
        for (int s = 0; s < STEPS; s++) {
            int end = (int) Math.round((s + 1) * (double) n / STEPS);
            for (; done < end; done++) {
                copyCell(source, current, image, order, order.cells()[done]);
            }
            steps.add(new FloatImage(current.clone(), image.channels(), image.height(), image.width()));
        }
        List<Scores> scores = classifier.predict(steps);
        double[] curve = new double[scores.size()];
        for (int s = 0; s < scores.size(); s++) {
            curve[s] = scores.get(s).probability(label);
        }
        return curve;
    }

    /** Copies one cell's block of pixels (every channel): rows {@code r*H/rows} up to {@code (r+1)*H/rows}, likewise columns. */
    private static void copyCell(float[] from, float[] to, FloatImage image, CellOrder order, int cell) {
        int h = image.height();
        int w = image.width();
        int r = cell / order.columns();
        int c = cell % order.columns();
        for (int ch = 0; ch < image.channels(); ch++) {
            for (int y = r * h / order.rows(); y < (r + 1) * h / order.rows(); y++) {
                int from0 = ch * h * w + y * w + c * w / order.columns();
                int length = (c + 1) * w / order.columns() - c * w / order.columns();
                System.arraycopy(from, from0, to, from0, length);
            }
        }
    }

    /**
     * What insertion starts from: each channel blurred by three passes of a box 17 px wide at 64 px
     * (sigma about 8.5 px; scaled with the width): no nodule left, but the same brightness layout.
     * RISE's own blur (sigma 5 px at 224) keeps this data's soft-edged nodules. Each pass is a
     * horizontal then a vertical mean over the window clipped at the border, which is the 2-D mean
     * over the clipped square.
     */
    static float[] blurred(FloatImage image) {
        int h = image.height();
        int w = image.width();
        int radius = Math.max(1, Math.round(8f * w / 64));
        float[] out = image.data().clone();
        for (int ch = 0; ch < image.channels(); ch++) {
            int offset = ch * h * w;
            for (int pass = 0; pass < 3; pass++) {
                boxMean(out, offset, h, w, w, 1, radius); // rows
                boxMean(out, offset, w, h, 1, w, radius); // columns
            }
        }
        return out;
    }

    /** In place, along lines of {@code length} values {@code step} apart, {@code lines} of them {@code lineStride} apart. */
    private static void boxMean(float[] data, int offset, int lines, int length, int lineStride, int step, int radius) {
        double[] prefix = new double[length + 1];
        for (int line = 0; line < lines; line++) {
            int base = offset + line * lineStride;
            for (int i = 0; i < length; i++) {
                prefix[i + 1] = prefix[i] + data[base + i * step];
            }
            for (int i = 0; i < length; i++) {
                int lo = Math.max(0, i - radius);
                int hi = Math.min(length, i + radius + 1);
                data[base + i * step] = (float) ((prefix[hi] - prefix[lo]) / (hi - lo));
            }
        }
    }
}
