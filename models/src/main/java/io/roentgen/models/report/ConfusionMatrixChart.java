package io.roentgen.models.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYZDataset;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A confusion matrix as a heat map: rows are the true class, columns the predicted one; each cell
 * shows its count and its share of the row (the per-class recall on the diagonal), shaded by that
 * share so the diagonal stands out whatever the class sizes.
 */
public final class ConfusionMatrixChart {
    /** Pixels per cell, and the room around the cells for title and labels. */
    public static final int CELL = 110;
    public static final int EXTRA_WIDTH = 190;
    public static final int EXTRA_HEIGHT = 120;
    static final Color FULL = ChartFiles.PALETTE[0];
    /** About what fits a cell's width in the 13-point font. */
    private static final int COLUMN_CHARACTERS = 14;
    private static final Font COUNT_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);

    private ConfusionMatrixChart() {}

    public static int width(int classes) {
        return EXTRA_WIDTH + classes * CELL;
    }

    public static int height(int classes) {
        return EXTRA_HEIGHT + classes * CELL;
    }

    public static JFreeChart chart(long[][] counts, List<String> labels, String title) {
        int k = labels.size();
        double[][] cells = new double[3][k * k];
        List<XYTextAnnotation> texts = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            long rowTotal = 0;
            for (long c : counts[t]) {
                rowTotal += c;
            }
            for (int p = 0; p < k; p++) {
                double share = rowTotal == 0 ? 0 : (double) counts[t][p] / rowTotal;
                cells[0][t * k + p] = p;
                cells[1][t * k + p] = t;
                cells[2][t * k + p] = share;
                Color ink = share > 0.55 ? Color.WHITE : Color.BLACK;
                texts.add(text(Long.toString(counts[t][p]), COUNT_FONT, p, t - 0.1, ink));
                texts.add(text(String.format(Locale.ROOT, "%.0f%%", 100 * share), ChartStyle.TEXT, p, t + 0.15, ink));
            }
        }
        DefaultXYZDataset dataset = new DefaultXYZDataset();
        dataset.addSeries("share of the row", cells);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(new WhiteToBlue());
        String[] names = labels.toArray(String[]::new);
        // Column labels share a cell's width; the axis leaves out a label that overlaps its neighbour.
        SymbolAxis predicted = new SymbolAxis("predicted class",
                labels.stream().map(ConfusionMatrixChart::shortened).toArray(String[]::new));
        predicted.setGridBandsVisible(false);
        SymbolAxis actual = new SymbolAxis("true class", names);
        actual.setGridBandsVisible(false);
        actual.setInverted(true); // the first class in the top row, as a table reads
        XYPlot plot = new XYPlot();
        plot.setDataset(dataset);
        plot.setRenderer(renderer);
        plot.setDomainAxis(predicted);
        plot.setRangeAxis(actual);
        plot.setDomainAxisLocation(AxisLocation.TOP_OR_LEFT);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = ChartStyle.chart(title, plot, false);
        texts.forEach(plot::addAnnotation); // after the theme, which would set every annotation's font and ink
        return chart;
    }

    /** A {@link #width} x {@link #height} image. */
    public static BufferedImage draw(long[][] counts, List<String> labels, String title) {
        return ChartFiles.sideBySide(width(labels.size()), height(labels.size()), chart(counts, labels, title));
    }

    public static void write(long[][] counts, List<String> labels, String title, Path png) throws IOException {
        ChartFiles.writePng(draw(counts, labels, title), png);
    }

    private static String shortened(String label) {
        return label.length() <= COLUMN_CHARACTERS ? label : label.substring(0, COLUMN_CHARACTERS - 1) + "…";
    }

    private static XYTextAnnotation text(String text, Font font, double x, double y, Color ink) {
        XYTextAnnotation annotation = new XYTextAnnotation(text, x, y);
        annotation.setFont(font);
        annotation.setPaint(ink);
        annotation.setTextAnchor(TextAnchor.CENTER);
        return annotation;
    }

    /** Share of the row, 0 to 1, from white to the palette's first colour. */
    private record WhiteToBlue() implements PaintScale {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double share) {
            double t = Math.max(0, Math.min(1, share));
            return new Color(mix(FULL.getRed(), t), mix(FULL.getGreen(), t), mix(FULL.getBlue(), t));
        }

        private static int mix(int to, double t) {
            return (int) Math.round(255 + (to - 255) * t);
        }
    }
}
