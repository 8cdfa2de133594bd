package io.roentgen.models.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYBarDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Horizontal bars, one per labelled category (labels on the left, where long names fit), on a
 * value axis from 0; each bar may carry a min-max whisker and is annotated with its value.
 */
public final class BarChart {
    /** Longer labels are cut, so that the bars keep at least about half the width. */
    private static final int LABEL_CHARACTERS = 32;

    private final String title;
    private final String valueLabel;
    private final Color color;
    private final List<Bar> bars = new ArrayList<>();

    public BarChart(String title, String valueLabel, Color color) {
        this.title = title;
        this.valueLabel = valueLabel;
        this.color = color;
    }

    /** One bar of length {@code value}; {@code low}/{@code high} draw a whisker unless NaN. */
    public BarChart bar(String label, double value, double low, double high) {
        bars.add(new Bar(label, value, low, high));
        return this;
    }

    public JFreeChart chart() {
        XYSeries values = new XYSeries(valueLabel, false, true);
        YIntervalSeries whiskers = new YIntervalSeries(valueLabel + " spread", false, true);
        String[] labels = new String[bars.size()];
        List<XYTextAnnotation> texts = new ArrayList<>();
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            labels[i] = bar.label.length() <= LABEL_CHARACTERS ? bar.label
                    : bar.label.substring(0, LABEL_CHARACTERS - 1) + "…";
            if (!Double.isFinite(bar.value)) {
                continue;
            }
            values.add(i, bar.value);
            double end = bar.value;
            if (Double.isFinite(bar.low) && Double.isFinite(bar.high)) {
                whiskers.add(i, bar.value, bar.low, bar.high);
                end = Math.max(end, bar.high);
            }
            texts.add(valueText(bar.value, i, end));
        }
        SymbolAxis categories = new SymbolAxis(null, labels);
        categories.setInverted(true); // the first bar on top
        categories.setGridBandsVisible(false);
        NumberAxis axis = new NumberAxis(valueLabel);
        axis.setUpperMargin(0.25); // room for the value written past the longest bar
        XYPlot plot = new XYPlot();
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setDomainAxis(categories);
        plot.setRangeAxis(axis);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        YIntervalSeriesCollection spread = new YIntervalSeriesCollection();
        spread.addSeries(whiskers);
        plot.setDataset(0, spread);
        plot.setRenderer(0, whiskerRenderer());
        plot.setDataset(1, new XYBarDataset(new XYSeriesCollection(values), 0.6));
        plot.setRenderer(1, barRenderer());
        JFreeChart chart = ChartStyle.chart(title, plot, false);
        texts.forEach(plot::addAnnotation); // after the theme, which would set every annotation's font
        return chart;
    }

    private XYBarRenderer barRenderer() {
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setAutoPopulateSeriesPaint(false); // or the theme replaces it
        renderer.setSeriesPaint(0, color);
        renderer.setDrawBarOutline(false);
        renderer.setShadowVisible(false);
        return renderer;
    }

    /** The value, written just past the end of its bar or whisker. */
    private static XYTextAnnotation valueText(double value, int row, double end) {
        String pattern = Math.abs(value) >= 100 ? "%.0f" : Math.abs(value) >= 10 ? "%.1f" : "%.2f";
        XYTextAnnotation text = new XYTextAnnotation("  " + String.format(Locale.ROOT, pattern, value), row, end);
        text.setFont(ChartStyle.TEXT);
        text.setTextAnchor(TextAnchor.CENTER_LEFT);
        return text;
    }

    private static XYErrorRenderer whiskerRenderer() {
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDefaultLinesVisible(false);
        renderer.setDefaultShapesVisible(false);
        renderer.setErrorPaint(Color.BLACK);
        renderer.setErrorStroke(ChartStyle.WHISKER);
        renderer.setCapLength(10);
        return renderer;
    }

    private record Bar(String label, double value, double low, double high) {}
}
