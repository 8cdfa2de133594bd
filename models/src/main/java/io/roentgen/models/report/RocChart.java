package io.roentgen.models.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * ROC curves on the unit square, one per class, with the chance diagonal, a 0.2 grid, and each
 * class's AUROC in the legend. Takes plain arrays so any evaluation can draw one.
 */
public final class RocChart {
    public static final int SIZE = 640;
    private static final int MARGIN_LEFT = 70;
    private static final int MARGIN_TOP = 45;
    private static final int PLOT = SIZE - MARGIN_LEFT - 30;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
    };

    /** One class's curve: false positive rates (x) and true positive rates (y), from (0,0) to (1,1). */
    public record Curve(String name, double auroc, double[] falsePositiveRates, double[] truePositiveRates) {}

    private RocChart() {}

    public static BufferedImage draw(List<Curve> curves, String title) {
        BufferedImage image = ChartCanvas.create(SIZE, SIZE + 25);
        Graphics2D g = ChartCanvas.graphics(image, title);
        FontMetrics fm = g.getFontMetrics();
        drawAxes(g, fm);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0));
        g.drawLine(x(0), y(0), x(1), y(1));
        g.setStroke(new BasicStroke(2.2f));
        for (int c = 0; c < curves.size(); c++) {
            g.setColor(PALETTE[c % PALETTE.length]);
            g.draw(path(curves.get(c)));
        }
        drawLegend(g, fm, curves);
        g.dispose();
        return image;
    }

    public static void write(List<Curve> curves, String title, Path png) throws IOException {
        ChartCanvas.write(draw(curves, title), png);
    }

    private static void drawAxes(Graphics2D g, FontMetrics fm) {
        for (int i = 0; i <= 5; i++) {
            double v = i / 5.0;
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(x(v), y(0), x(v), y(1));
            g.drawLine(x(0), y(v), x(1), y(v));
            g.setColor(Color.BLACK);
            String label = String.format(Locale.ROOT, "%.1f", v);
            g.drawString(label, x(v) - fm.stringWidth(label) / 2, y(0) + 18);
            g.drawString(label, x(0) - 8 - fm.stringWidth(label), y(v) + 5);
        }
        g.setStroke(new BasicStroke(1.5f));
        g.drawRect(x(0), y(1), PLOT, PLOT);
        String xLabel = "1 - specificity (false positive rate)";
        g.drawString(xLabel, x(0.5) - fm.stringWidth(xLabel) / 2, y(0) + 40);
        java.awt.geom.AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        String yLabel = "sensitivity (true positive rate)";
        g.drawString(yLabel, -y(0.5) - fm.stringWidth(yLabel) / 2, 22);
        g.setTransform(saved);
    }

    /** Non-finite points (a class without positives or negatives) break the line. */
    private static Path2D path(Curve curve) {
        Path2D.Double p = new Path2D.Double();
        boolean open = false;
        for (int i = 0; i < curve.falsePositiveRates().length; i++) {
            double fx = curve.falsePositiveRates()[i];
            double ty = curve.truePositiveRates()[i];
            if (!Double.isFinite(fx) || !Double.isFinite(ty)) {
                open = false;
                continue;
            }
            if (open) {
                p.lineTo(x(fx), y(ty));
            } else {
                p.moveTo(x(fx), y(ty));
                open = true;
            }
        }
        return p;
    }

    /** Bottom right, where an ROC curve above the diagonal leaves room. */
    private static void drawLegend(Graphics2D g, FontMetrics fm, List<Curve> curves) {
        int lineHeight = 20;
        int width = 0;
        for (Curve c : curves) {
            width = Math.max(width, fm.stringWidth(legend(c)));
        }
        int left = x(1) - width - 50;
        int top = y(0) - 12 - curves.size() * lineHeight;
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(left - 8, top - 6, width + 50, curves.size() * lineHeight + 8);
        for (int c = 0; c < curves.size(); c++) {
            int baseline = top + (c + 1) * lineHeight - 6;
            g.setColor(PALETTE[c % PALETTE.length]);
            g.setStroke(new BasicStroke(2.2f));
            g.drawLine(left, baseline - 5, left + 28, baseline - 5);
            g.setColor(Color.BLACK);
            g.drawString(legend(curves.get(c)), left + 36, baseline);
        }
    }

    private static String legend(Curve c) {
        return Double.isNaN(c.auroc()) ? c.name() + " (AUROC undefined)"
                : String.format(Locale.ROOT, "%s (AUROC %.3f)", c.name(), c.auroc());
    }

    private static int x(double v) {
        return MARGIN_LEFT + (int) Math.round(v * PLOT);
    }

    private static int y(double v) {
        return MARGIN_TOP + (int) Math.round((1 - v) * PLOT);
    }
}
