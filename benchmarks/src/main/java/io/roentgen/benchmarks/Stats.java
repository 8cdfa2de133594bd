package io.roentgen.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/** The statistics every benchmark reports. */
public final class Stats {
    private Stats() {}

    /** The median (mean of the middle two for an even count); the input is not modified. */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of nothing");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    public static double median(Collection<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
