package io.roentgen.models.report;

import org.jfree.chart.JFreeChart;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * ROC curves on the unit square, one per class, with the chance diagonal and each class's AUROC
 * in the legend. Takes plain arrays so any evaluation can draw one.
 */
public final class RocChart {
    public static final int SIZE = 640;

    /** One class's curve: false positive rates (x) and true positive rates (y), from (0,0) to (1,1). */
    public record Curve(String name, double auroc, double[] falsePositiveRates, double[] truePositiveRates) {}

    private RocChart() {}

    public static JFreeChart chart(List<Curve> curves, String title) {
        LineChart chart = new LineChart(title, "1 - specificity (false positive rate)",
                "sensitivity (true positive rate)").xRange(0, 1).yRange(0, 1).legendInside();
        for (int c = 0; c < curves.size(); c++) {
            Curve curve = curves.get(c);
            chart.series(legend(curve), curve.falsePositiveRates(), curve.truePositiveRates(),
                    ChartFiles.PALETTE[c % ChartFiles.PALETTE.length], false, false);
        }
        chart.series("chance", new double[] {0, 1}, new double[] {0, 1}, Color.GRAY, true, false);
        return chart.chart();
    }

    /** A {@link #SIZE} x {@link #SIZE} image. */
    public static BufferedImage draw(List<Curve> curves, String title) {
        return ChartFiles.sideBySide(SIZE, SIZE, chart(curves, title));
    }

    public static void write(List<Curve> curves, String title, Path png) throws IOException {
        ChartFiles.writePng(draw(curves, title), png);
    }

    private static String legend(Curve c) {
        return Double.isNaN(c.auroc()) ? c.name() + " (AUROC undefined)"
                : String.format(Locale.ROOT, "%s (AUROC %.3f)", c.name(), c.auroc());
    }
}
