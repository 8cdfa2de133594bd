package io.roentgen.models.report;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A confusion matrix as a PNG heat map: rows are the true class, columns the predicted one; each
 * cell shows its count and its share of the row (the per-class recall on the diagonal), shaded
 * by that share so the diagonal stands out whatever the class sizes.
 */
public final class ConfusionMatrixChart {
    private static final int CELL = 110;
    private static final int LEFT = 150;
    private static final int TOP = 90;
    private static final Color FULL = new Color(0x1f77b4);

    private ConfusionMatrixChart() {}

    public static BufferedImage draw(long[][] counts, List<String> labels, String title) {
        int k = labels.size();
        BufferedImage image = ChartCanvas.create(LEFT + k * CELL + 40, TOP + k * CELL + 30);
        Graphics2D g = ChartCanvas.graphics(image, title);
        FontMetrics fm = g.getFontMetrics();
        for (int t = 0; t < k; t++) {
            long rowTotal = 0;
            for (long c : counts[t]) {
                rowTotal += c;
            }
            for (int p = 0; p < k; p++) {
                double share = rowTotal == 0 ? 0 : (double) counts[t][p] / rowTotal;
                int x = LEFT + p * CELL;
                int y = TOP + t * CELL;
                g.setColor(blend(share));
                g.fillRect(x, y, CELL, CELL);
                g.setColor(Color.GRAY);
                g.drawRect(x, y, CELL, CELL);
                g.setColor(share > 0.55 ? Color.WHITE : Color.BLACK);
                centred(g, fm, Long.toString(counts[t][p]), x + CELL / 2, y + CELL / 2 - 4);
                centred(g, fm, String.format(java.util.Locale.ROOT, "%.0f%%", 100 * share), x + CELL / 2, y + CELL / 2 + 14);
            }
        }
        g.setColor(Color.BLACK);
        for (int i = 0; i < k; i++) {
            centred(g, fm, fit(labels.get(i), fm, CELL - 6), LEFT + i * CELL + CELL / 2, TOP - 10);
            String row = fit(labels.get(i), fm, LEFT - 40);
            g.drawString(row, LEFT - 8 - fm.stringWidth(row), TOP + i * CELL + CELL / 2 + 4);
        }
        centred(g, fm, "predicted class", LEFT + k * CELL / 2, TOP - 34);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        centred(g, fm, "true class", -(TOP + k * CELL / 2), 22);
        g.setTransform(saved);
        g.dispose();
        return image;
    }

    public static void write(long[][] counts, List<String> labels, String title, Path png) throws IOException {
        ChartCanvas.write(draw(counts, labels, title), png);
    }

    private static Color blend(double share) {
        return new Color(mix(255, FULL.getRed(), share), mix(255, FULL.getGreen(), share), mix(255, FULL.getBlue(), share));
    }

    private static int mix(int from, int to, double t) {
        return (int) Math.round(from + (to - from) * t);
    }

    private static void centred(Graphics2D g, FontMetrics fm, String text, int cx, int baseline) {
        g.drawString(text, cx - fm.stringWidth(text) / 2, baseline);
    }

    private static String fit(String text, FontMetrics fm, int width) {
        String t = text;
        while (t.length() > 1 && fm.stringWidth(t) > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t.equals(text) ? t : t.substring(0, Math.max(1, t.length() - 1)) + "…";
    }
}
