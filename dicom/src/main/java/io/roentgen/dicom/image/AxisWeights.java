package io.roentgen.dicom.image;

/**
 * The source samples and weights of every output position along one axis of a separable resize:
 * output {@code o} is {@code sum_t weight[o * taps + t] * source[first[o] + t]}. Built once per
 * resize so the inner loops do no index arithmetic beyond a multiply-add. Weights and sums are
 * double so that many-tap area averages (2048 -> 224 is 10 taps an axis) keep a constant constant.
 */
final class AxisWeights {
    final int taps;
    final int[] first;
    final double[] weight;

    private AxisWeights(int outputs, int taps) {
        this.taps = taps;
        this.first = new int[outputs];
        this.weight = new double[outputs * taps];
    }

    /** Bilinear, half-pixel centres, clamped at the edges. */
    static AxisWeights bilinear(int inputs, int outputs) {
        AxisWeights axis = new AxisWeights(outputs, 2);
        double scale = (double) inputs / outputs;
        for (int o = 0; o < outputs; o++) {
            double source = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), inputs - 1);
            int left = Math.min((int) source, Math.max(inputs - 2, 0));
            double fraction = inputs == 1 ? 0 : source - left;
            axis.first[o] = left;
            axis.weight[2 * o] = 1 - fraction;
            axis.weight[2 * o + 1] = inputs == 1 ? 0 : fraction;
        }
        if (inputs == 1) {
            // A single source sample: the second tap would read past the end; point it at the same sample.
            return axis.withSingleSource();
        }
        return axis;
    }

    /** Box average over the source interval {@code [o * scale, (o + 1) * scale)}, weights summing to 1. */
    static AxisWeights area(int inputs, int outputs) {
        double scale = (double) inputs / outputs;
        // An interval of length scale touches at most ceil(scale) + 1 samples; never more than exist.
        int taps = Math.min((int) Math.ceil(scale) + 1, inputs);
        AxisWeights axis = new AxisWeights(outputs, taps);
        double[] overlap = new double[taps];
        for (int o = 0; o < outputs; o++) {
            double start = o * scale;
            double end = Math.min((o + 1) * scale, inputs);
            // Shift the taps back at the far edge so that every tap reads inside the source.
            axis.first[o] = Math.min((int) Math.floor(start), inputs - taps);
            double total = 0;
            for (int t = 0; t < taps; t++) {
                int sample = axis.first[o] + t;
                overlap[t] = Math.max(0, Math.min(end, sample + 1) - Math.max(start, sample));
                total += overlap[t];
            }
            for (int t = 0; t < taps; t++) {
                axis.weight[o * taps + t] = overlap[t] / total;
            }
        }
        return axis;
    }

    private AxisWeights withSingleSource() {
        AxisWeights single = new AxisWeights(first.length, 1);
        java.util.Arrays.fill(single.weight, 1.0);
        return single;
    }
}
