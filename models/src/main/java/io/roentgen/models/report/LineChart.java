package io.roentgen.models.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.block.ColumnArrangement;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * A line chart: one line per series (markers optional, dashed optional), or a median line with a
 * min-max whisker at each point. A non-finite point breaks its line. The x axis is linear, or
 * logarithmic base 2 with a tick at each power of two ({@link #xLog2}, for batch sizes).
 */
public final class LineChart {
    private static final double MARKER = 7;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Layer> layers = new ArrayList<>();
    private double[] xRange;
    private double[] yRange;
    private boolean yFromZero;
    private boolean xLog2;
    private boolean xIntegers;
    private boolean legendInside;

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LineChart xRange(double min, double max) {
        xRange = new double[] {min, max};
        return this;
    }

    public LineChart yRange(double min, double max) {
        yRange = new double[] {min, max};
        return this;
    }

    /** The y axis starts at 0 and ends past the largest value. */
    public LineChart yFromZero() {
        yFromZero = true;
        return this;
    }

    /** A log2 x axis with ticks at 1, 2, 4, ...: batch sizes and client counts double. */
    public LineChart xLog2() {
        xLog2 = true;
        return this;
    }

    /** Ticks only at whole numbers of x (epochs). */
    public LineChart xIntegers() {
        xIntegers = true;
        return this;
    }

    /** The legend inside the axes' bottom right corner rather than below them. */
    public LineChart legendInside() {
        legendInside = true;
        return this;
    }

    public LineChart series(String name, double[] x, double[] y, Color color, boolean dashed, boolean markers) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y need the same length");
        }
        XYSeries series = new XYSeries(name, false, true);
        for (int i = 0; i < x.length; i++) {
            series.add(x[i], finiteOrNaN(y[i]));
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, markers);
        style(renderer, color, dashed);
        layers.add(new Layer(new XYSeriesCollection(series), renderer));
        return this;
    }

    /** A solid line with markers at {@code y} and a whisker from {@code low} to {@code high} at each point. */
    public LineChart seriesWithSpread(String name, double[] x, double[] y, double[] low, double[] high, Color color) {
        if (low.length != x.length || high.length != x.length || y.length != x.length) {
            throw new IllegalArgumentException("x, y, low and high need the same length");
        }
        YIntervalSeries series = new YIntervalSeries(name, false, true);
        for (int i = 0; i < x.length; i++) {
            boolean whisker = Double.isFinite(low[i]) && Double.isFinite(high[i]);
            double median = finiteOrNaN(y[i]);
            series.add(x[i], median, whisker ? low[i] : median, whisker ? high[i] : median);
        }
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDefaultLinesVisible(true);
        renderer.setErrorPaint(color);
        renderer.setErrorStroke(ChartStyle.WHISKER);
        renderer.setCapLength(10);
        style(renderer, color, false);
        YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
        dataset.addSeries(series);
        layers.add(new Layer(dataset, renderer));
        return this;
    }

    public JFreeChart chart() {
        XYPlot plot = new XYPlot();
        plot.setDomainAxis(xAxis());
        plot.setRangeAxis(yAxis());
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        for (int i = 0; i < layers.size(); i++) {
            plot.setDataset(i, layers.get(i).dataset);
            plot.setRenderer(i, layers.get(i).renderer);
        }
        // Series added first are drawn on top, as in the legend's order.
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
        JFreeChart chart = ChartStyle.chart(title, plot, !legendInside);
        if (legendInside) {
            LegendTitle legend = new LegendTitle(plot, new ColumnArrangement(), new ColumnArrangement());
            legend.setItemFont(ChartStyle.TEXT);
            legend.setBackgroundPaint(new Color(255, 255, 255, 230));
            legend.setFrame(new BlockBorder(Color.LIGHT_GRAY));
            legend.setPosition(RectangleEdge.BOTTOM);
            plot.addAnnotation(new XYTitleAnnotation(0.98, 0.02, legend, RectangleAnchor.BOTTOM_RIGHT));
        }
        return chart;
    }

    private ValueAxis xAxis() {
        if (xLog2) {
            LogAxis axis = new LogAxis(xLabel);
            axis.setBase(2);
            // A tick at every doubling, or every second, ... so that at most about 8 labels share the axis.
            axis.setTickUnit(new NumberTickUnit(Math.max(1, Math.ceil(doublings() / 8))));
            axis.setNumberFormatOverride(new DecimalFormat("0"));
            axis.setMinorTickCount(1);
            axis.setSmallestValue(0.5);
            return axis;
        }
        NumberAxis axis = new NumberAxis(xLabel);
        axis.setAutoRangeIncludesZero(false);
        if (xIntegers) {
            axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        if (xRange != null) {
            axis.setRange(xRange[0], xRange[1]);
            fixedTicks(axis, xRange, xIntegers ? 1 : 0);
        }
        return axis;
    }

    private ValueAxis yAxis() {
        NumberAxis axis = new NumberAxis(yLabel);
        axis.setAutoRangeIncludesZero(yFromZero);
        if (yRange != null) {
            axis.setRange(yRange[0], yRange[1]);
            fixedTicks(axis, yRange, 0);
        }
        return axis;
    }

    /** How many times the largest positive x doubles the smallest (0 without data). */
    private double doublings() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Layer layer : layers) {
            for (int i = 0; i < layer.dataset.getItemCount(0); i++) {
                double x = layer.dataset.getXValue(0, i);
                if (x > 0 && Double.isFinite(x)) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
        }
        return hi > 0 ? Math.log(hi / lo) / Math.log(2) : 0;
    }

    private static void style(XYLineAndShapeRenderer renderer, Color color, boolean dashed) {
        // Otherwise the theme replaces these with its own sequence.
        renderer.setAutoPopulateSeriesPaint(false);
        renderer.setAutoPopulateSeriesStroke(false);
        renderer.setAutoPopulateSeriesShape(false);
        renderer.setSeriesPaint(0, color);
        renderer.setSeriesStroke(0, dashed ? ChartStyle.DASHED : ChartStyle.LINE);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-MARKER / 2, -MARKER / 2, MARKER, MARKER));
        renderer.setDrawSeriesLineAsPath(false);
    }

    /** About 5-10 ticks (1, 2 or 5 x 10^k apart) over a fixed range, where the automatic choice crowds them. */
    private static void fixedTicks(NumberAxis axis, double[] range, double smallest) {
        double raw = (range[1] - range[0]) / 8;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / magnitude;
        double tick = Math.max(smallest, magnitude * (m > 5 ? 10 : m > 2 ? 5 : m > 1 ? 2 : 1));
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(tick) + 1e-9));
        axis.setTickUnit(new NumberTickUnit(tick, new DecimalFormat(decimals == 0 ? "0" : "0." + "0".repeat(decimals))),
                false, true);
    }

    /** Infinities become NaN, which JFreeChart leaves out and so breaks the line. */
    private static double finiteOrNaN(double v) {
        return Double.isFinite(v) ? v : Double.NaN;
    }

    private record Layer(XYDataset dataset, XYItemRenderer renderer) {}
}
