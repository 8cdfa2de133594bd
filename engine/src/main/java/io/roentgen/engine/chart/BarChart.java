package io.roentgen.engine.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Horizontal bars, one per labelled category (labels on the left, where long names fit), on a
 * value axis from 0 with "nice" ticks; each bar may carry a whisker for its spread and is
 * annotated with its value.
 */
public final class BarChart implements ChartPanel {
    private static final Color GRID = new Color(0xe6e6e6);

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

    @Override
    public void draw(Graphics2D g, Rectangle area) {
        g.setColor(Color.WHITE);
        g.fill(area);
        drawTitle(g, area);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        int labelWidth = Math.min(area.width / 2,
                bars.stream().mapToInt(b -> fm.stringWidth(b.label)).max().orElse(0) + 16);
        Rectangle plot = new Rectangle(area.x + labelWidth, area.y + 40, area.width - labelWidth - 70,
                area.height - 95);
        Ticks ticks = Ticks.of(0, Math.max(largest(), Double.MIN_NORMAL));
        Ticks.Axis x = ticks.axis(plot.x, plot.x + plot.width);
        drawValueAxis(g, fm, plot, ticks, x);
        double band = plot.height / (double) Math.max(1, bars.size());
        int thickness = (int) Math.max(2, Math.min(40, band * 0.6));
        for (int i = 0; i < bars.size(); i++) {
            int centre = (int) Math.round(plot.y + band * (i + 0.5));
            drawBar(g, fm, bars.get(i), x, centre, thickness, area.x + 6, labelWidth - 12);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        g.drawRect(plot.x, plot.y, plot.width, plot.height);
        g.drawString(valueLabel, plot.x + (plot.width - fm.stringWidth(valueLabel)) / 2, area.y + area.height - 12);
    }

    private double largest() {
        double max = 0;
        for (Bar b : bars) {
            for (double v : new double[] {b.value, b.low, b.high}) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        return max;
    }

    private void drawTitle(Graphics2D g, Rectangle area) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, area.x + (area.width - g.getFontMetrics().stringWidth(title)) / 2, area.y + 24);
    }

    private static void drawValueAxis(Graphics2D g, FontMetrics fm, Rectangle plot, Ticks ticks, Ticks.Axis x) {
        g.setStroke(new BasicStroke(1f));
        for (double v : ticks.values()) {
            int px = x.pixel(v);
            g.setColor(GRID);
            g.drawLine(px, plot.y, px, plot.y + plot.height);
            g.setColor(Color.BLACK);
            g.drawLine(px, plot.y + plot.height, px, plot.y + plot.height + 5);
            String text = ticks.format(v);
            g.drawString(text, px - fm.stringWidth(text) / 2, plot.y + plot.height + 7 + fm.getAscent());
        }
    }

    private void drawBar(Graphics2D g, FontMetrics fm, Bar bar, Ticks.Axis x, int centre, int thickness,
                         int labelLeft, int labelRoom) {
        g.setColor(Color.BLACK);
        g.drawString(fit(bar.label, fm, labelRoom), labelLeft, centre + fm.getAscent() / 2 - 1);
        if (!Double.isFinite(bar.value)) {
            return;
        }
        int zero = x.pixel(0);
        g.setColor(color);
        g.fillRect(zero, centre - thickness / 2, Math.max(1, x.pixel(bar.value) - zero), thickness);
        int end = x.pixel(bar.value);
        if (Double.isFinite(bar.low) && Double.isFinite(bar.high)) {
            int lo = x.pixel(bar.low);
            int hi = x.pixel(bar.high);
            int cap = Math.max(3, thickness / 3);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.5f));
            g.drawLine(lo, centre, hi, centre);
            g.drawLine(lo, centre - cap, lo, centre + cap);
            g.drawLine(hi, centre - cap, hi, centre + cap);
            end = Math.max(end, hi);
        }
        g.setColor(Color.BLACK);
        g.drawString(format(bar.value), end + 6, centre + fm.getAscent() / 2 - 1);
    }

    private static String format(double v) {
        String pattern = Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, v);
    }

    private static String fit(String text, FontMetrics fm, int room) {
        if (fm.stringWidth(text) <= room) {
            return text;
        }
        String cut = text;
        while (!cut.isEmpty() && fm.stringWidth(cut + "…") > room) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "…";
    }

    private record Bar(String label, double value, double low, double high) {}
}
