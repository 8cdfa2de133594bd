package io.roentgen.benchmarks;

import java.util.Arrays;
import java.util.Collection;

/** The statistics every benchmark reports. */
public final class Stats {
    private Stats() {}

    /**
     * One figure over the repetitions of a benchmark: the median the tables lead with, the range
     * (min-max) and the interquartile range (p25-p75, linear interpolation between order
     * statistics), and every repetition's value in the order measured. This record is also the
     * JSON shape of every figure of {@code roentgen bench ... --json}.
     */
    public record Spread(double median, double min, double max, double p25, double p75, double[] values) {}

    /** The spread of {@code values} (at least one); the input is not modified. */
    public static Spread spread(double[] values) {
        double[] sorted = sorted(values);
        return new Spread(median(sorted), sorted[0], sorted[sorted.length - 1], interpolated(sorted, 0.25),
                interpolated(sorted, 0.75), values.clone());
    }

    public static Spread spread(Collection<Double> values) {
        return spread(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The median (mean of the middle two for an even count); the input is not modified. */
    public static double median(double[] values) {
        return interpolated(sorted(values), 0.5);
    }

    public static double median(Collection<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * The nearest-rank percentile ({@code p} in (0, 1]): the smallest value with at least
     * {@code p} of the values at or below it, e.g. the latency p99 of a set of requests.
     */
    public static double percentile(double[] values, double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("percentile must be in (0, 1], got " + p);
        }
        double[] sorted = sorted(values);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p) - 1)];
    }

    private static double[] sorted(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("statistics of nothing");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v;
    }

    /** Linear interpolation at rank {@code q * (n - 1)} of sorted values (numpy's default). */
    private static double interpolated(double[] sorted, double q) {
        double rank = q * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}
