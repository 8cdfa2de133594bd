package io.roentgen.server.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram for one label set: fixed upper bounds, lock-free observation. */
final class Histogram {
    private final double[] bounds;
    private final LongAdder[] counts;
    private final DoubleAdder sum = new DoubleAdder();
    private final LongAdder total = new LongAdder();

    Histogram(double[] bounds) {
        this.bounds = bounds;
        this.counts = new LongAdder[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void observe(double value) {
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                counts[i].increment();
                break;
            }
        }
        sum.add(value);
        total.increment();
    }

    /** Appends the _bucket (cumulative), _sum and _count lines. */
    void write(StringBuilder out, String name, String labels) {
        long cumulative = 0;
        String sep = labels.isEmpty() ? "" : labels + ",";
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i].sum();
            out.append(name).append("_bucket{").append(sep).append("le=\"").append(PrometheusText.number(bounds[i]))
                    .append("\"} ").append(cumulative).append('\n');
        }
        long count = total.sum();
        out.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(count).append('\n');
        String braces = labels.isEmpty() ? "" : "{" + labels + "}";
        out.append(name).append("_sum").append(braces).append(' ').append(PrometheusText.number(sum.sum())).append('\n');
        out.append(name).append("_count").append(braces).append(' ').append(count).append('\n');
    }
}
