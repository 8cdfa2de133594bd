package io.roentgen.engine.chart;

import java.util.Locale;

/** Tick marks at multiples of 1, 2 or 5 x 10^k; the axis is widened to whole ticks. */
record Ticks(double min, double max, double step) {
    static Ticks of(double lo, double hi) {
        double raw = (hi - lo) / 6;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude * (raw / magnitude >= 5 ? 10 : raw / magnitude >= 2 ? 5 : raw / magnitude >= 1 ? 2 : 1);
        step = Math.max(step, magnitude);
        return new Ticks(Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step, step);
    }

    double[] values() {
        int count = (int) Math.round((max - min) / step) + 1;
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = min + i * step;
        }
        return values;
    }

    String format(double v) {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Maps these ticks' range onto pixels {@code from .. to}. */
    Axis axis(int from, int to) {
        return new Axis(min, max, from, to);
    }

    /** Maps data values onto pixels along one axis. */
    record Axis(double min, double max, int from, int to) {
        double exact(double v) {
            return from + (v - min) / (max - min) * (to - from);
        }

        int pixel(double v) {
            return (int) Math.round(exact(v));
        }
    }
}
