package io.roentgen.cli;

import io.roentgen.benchmarks.Stats;
import io.roentgen.models.report.BarChart;
import io.roentgen.models.report.ChartFiles;
import io.roentgen.models.report.LineChart;
import org.jfree.chart.JFreeChart;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The bench commands' charts: medians with min-max whiskers, throughput next to latency. */
final class BenchPlots {
    private BenchPlots() {}

    /**
     * Left: throughput against {@code x} (batch size, clients); right: each latency series (ms)
     * against the same {@code x}, under {@code latencyTitle}. A row without a figure (null) leaves a gap.
     * The x axis is log2 (ticks 1, 2, 4, ...), as batch sizes and client counts double.
     */
    static <R> BufferedImage throughputAndLatency(String title, String xLabel, List<R> rows, Function<R, Number> x,
            String throughputLabel, Function<R, Stats.Spread> throughput, String latencyTitle,
            Map<String, Function<R, Stats.Spread>> latencies) {
        double[] xs = rows.stream().mapToDouble(r -> x.apply(r).doubleValue()).toArray();
        LineChart left = new LineChart(title + ": " + throughputLabel, xLabel, throughputLabel).yFromZero().xLog2();
        add(left, throughputLabel + " (median, min-max)", xs, rows, throughput, 0);
        LineChart right = new LineChart(title + ": " + latencyTitle, xLabel, "ms").yFromZero().xLog2();
        int colour = 1;
        for (Map.Entry<String, Function<R, Stats.Spread>> series : latencies.entrySet()) {
            add(right, series.getKey() + " (median, min-max)", xs, rows, series.getValue(), colour++);
        }
        return ChartFiles.sideBySide(BenchOutput.PLOT_WIDTH, BenchOutput.PLOT_HEIGHT, left.chart(), right.chart());
    }

    /** One horizontal bar chart per figure, side by side, a bar per row. */
    static <R> BufferedImage bars(String title, List<R> rows, Function<R, String> label,
            LinkedHashMap<String, Function<R, Stats.Spread>> figures) {
        JFreeChart[] panels = new JFreeChart[figures.size()];
        int i = 0;
        for (Map.Entry<String, Function<R, Stats.Spread>> figure : figures.entrySet()) {
            BarChart chart = new BarChart(title + ": " + figure.getKey(), figure.getKey() + " (median, min-max)",
                    ChartFiles.PALETTE[i % ChartFiles.PALETTE.length]);
            for (R row : rows) {
                Stats.Spread s = figure.getValue().apply(row);
                chart.bar(label.apply(row), s.median(), s.min(), s.max());
            }
            panels[i++] = chart.chart();
        }
        return ChartFiles.sideBySide(BenchOutput.PLOT_WIDTH, BenchOutput.PLOT_HEIGHT, panels);
    }

    private static <R> void add(LineChart chart, String name, double[] xs, List<R> rows,
            Function<R, Stats.Spread> figure, int colour) {
        int n = rows.size();
        double[] median = new double[n];
        double[] low = new double[n];
        double[] high = new double[n];
        for (int i = 0; i < n; i++) {
            Stats.Spread s = figure.apply(rows.get(i));
            median[i] = s == null ? Double.NaN : s.median();
            low[i] = s == null ? Double.NaN : s.min();
            high[i] = s == null ? Double.NaN : s.max();
        }
        chart.seriesWithSpread(name, xs, median, low, high, ChartFiles.PALETTE[colour % ChartFiles.PALETTE.length]);
    }
}
