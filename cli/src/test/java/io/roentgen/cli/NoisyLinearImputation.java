package io.roentgen.cli;

import java.util.Random;

/**
 * ROAD's noisy linear imputation (Rong et al. 2022, "A Consistent and Efficient Evaluation Strategy
 * for Attribution Methods"): every absent pixel becomes the weighted mean of its 8 neighbours inside
 * the image (1/6 for the four edge neighbours, 1/12 for the diagonals), absent neighbours included,
 * which is one sparse linear system per plane; then Gaussian noise of a fixed absolute size is added
 * to the imputed pixels. A pixel that is a mean of its neighbours is never a strict local maximum or
 * minimum among them, so the fill cannot draw a blob of its own; it meets the present pixels without
 * an edge, so the removed region's outline does not show (ROAD's "mask leakage").
 *
 * <p>The system is solved by conjugate gradients with a Jacobi preconditioner (it is symmetric and,
 * with at least one present pixel, positive definite). With no pixel present it has no data: the
 * plane is its own mean, ROAD's {@code ChannelMeanImputer}, plus the same noise.
 */
final class NoisyLinearImputation {
    /** ROAD's default noise, in the normalised input's units. */
    static final float NOISE = 0.01f;

    private static final int[][] OFFSETS = {{-1, -1}, {-1, 0}, {-1, 1}, {0, -1}, {0, 1}, {1, -1}, {1, 0}, {1, 1}};
    private static final double[] WEIGHTS = {1 / 12.0, 1 / 6.0, 1 / 12.0, 1 / 6.0, 1 / 6.0, 1 / 12.0, 1 / 6.0, 1 / 12.0};
    private static final double TOLERANCE = 1e-5;

    private NoisyLinearImputation() {}

    /** A copy of {@code plane} ({@code h x w}) with every pixel whose {@code present} is false imputed, plus noise of ROAD's size. */
    static float[] impute(float[] plane, boolean[] present, int h, int w, Random noise) {
        return impute(plane, present, h, w, noise, NOISE);
    }

    /** As {@link #impute(float[], boolean[], int, int, Random)} with noise of standard deviation {@code sigma}. */
    static float[] impute(float[] plane, boolean[] present, int h, int w, Random noise, float sigma) {
        float[] out = plane.clone();
        int[] absent = absentPixels(present);
        if (absent.length == 0) {
            return out;
        }
        double[] x = absent.length == plane.length ? mean(plane, absent.length) : solve(plane, present, absent, h, w);
        for (int k = 0; k < absent.length; k++) {
            out[absent[k]] = (float) (x[k] + sigma * noise.nextGaussian());
        }
        return out;
    }

    private static int[] absentPixels(boolean[] present) {
        int n = 0;
        for (boolean p : present) {
            n += p ? 0 : 1;
        }
        int[] absent = new int[n];
        for (int i = 0, k = 0; i < present.length; i++) {
            if (!present[i]) {
                absent[k++] = i;
            }
        }
        return absent;
    }

    private static double[] mean(float[] plane, int n) {
        double sum = 0;
        for (float v : plane) {
            sum += v;
        }
        double[] x = new double[n];
        java.util.Arrays.fill(x, sum / plane.length);
        return x;
    }

    /**
     * Solves {@code d_i x_i - sum_{absent j} w_ij x_j = sum_{present j} w_ij v_j} for the absent
     * pixels, {@code d_i} the sum of the weights of {@code i}'s neighbours inside the image.
     */
    private static double[] solve(float[] plane, boolean[] present, int[] absent, int h, int w) {
        int n = absent.length;
        int[] index = new int[plane.length];
        java.util.Arrays.fill(index, -1);
        for (int k = 0; k < n; k++) {
            index[absent[k]] = k;
        }
        int[] neighbours = new int[8 * n]; // variable index of absent neighbour o of k at 8k + o, else -1
        double[] diagonal = new double[n];
        double[] b = new double[n];
        double presentSum = 0;
        for (int i = 0; i < plane.length; i++) {
            presentSum += present[i] ? plane[i] : 0;
        }
        for (int k = 0; k < n; k++) {
            int y = absent[k] / w;
            int x = absent[k] % w;
            for (int o = 0; o < OFFSETS.length; o++) {
                int ny = y + OFFSETS[o][0];
                int nx = x + OFFSETS[o][1];
                neighbours[8 * k + o] = -1;
                if (ny < 0 || nx < 0 || ny >= h || nx >= w) {
                    continue;
                }
                diagonal[k] += WEIGHTS[o];
                int j = ny * w + nx;
                if (present[j]) {
                    b[k] += WEIGHTS[o] * plane[j];
                } else {
                    neighbours[8 * k + o] = index[j];
                }
            }
        }
        double[] x = new double[n];
        java.util.Arrays.fill(x, presentSum / (plane.length - n)); // start from the present pixels' mean, not 0
        return conjugateGradients(neighbours, diagonal, b, x);
    }

    private static double[] conjugateGradients(int[] neighbours, double[] diagonal, double[] b, double[] x) {
        int n = b.length;
        double[] r = b.clone();
        double[] ax = multiply(neighbours, diagonal, x);
        double[] z = new double[n];
        for (int k = 0; k < n; k++) {
            r[k] -= ax[k];
            z[k] = r[k] / diagonal[k];
        }
        double[] p = z.clone();
        double rz = dot(r, z);
        double rr = dot(r, r);
        double bound = TOLERANCE * TOLERANCE * Math.max(dot(b, b), 1e-30);
        double[] ap = new double[n];
        for (int iteration = 0; iteration < 10 * n && rr > bound; iteration++) {
            multiply(neighbours, diagonal, p, ap);
            double alpha = rz / dot(p, ap);
            double next = 0;
            rr = 0;
            for (int k = 0; k < n; k++) {
                x[k] += alpha * p[k];
                r[k] -= alpha * ap[k];
                z[k] = r[k] / diagonal[k];
                next += r[k] * z[k];
                rr += r[k] * r[k];
            }
            double beta = next / rz;
            rz = next;
            for (int k = 0; k < n; k++) {
                p[k] = z[k] + beta * p[k];
            }
        }
        return x;
    }

    private static double[] multiply(int[] neighbours, double[] diagonal, double[] v) {
        double[] out = new double[v.length];
        multiply(neighbours, diagonal, v, out);
        return out;
    }

    private static void multiply(int[] neighbours, double[] diagonal, double[] v, double[] out) {
        for (int k = 0; k < v.length; k++) {
            double s = diagonal[k] * v[k];
            for (int o = 0; o < 8; o++) {
                int j = neighbours[8 * k + o];
                if (j >= 0) {
                    s -= WEIGHTS[o] * v[j];
                }
            }
            out[k] = s;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
