package io.roentgen.engine.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;

/**
 * A line plot drawn with Java2D into a rectangle: title, axes with "nice" ticks (1, 2, 5 x 10^k),
 * grid, labelled axes, a legend and one polyline per series (markers optional, and optional
 * vertical whiskers for each point's spread). Non-finite points break a line rather than end the
 * plot. A bound given as NaN to {@link #xRange}/{@link #yRange} is taken from the data.
 */
public final class LineChart implements ChartPanel {

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private double xMin = Double.NaN, xMax = Double.NaN, yMin = Double.NaN, yMax = Double.NaN;

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LineChart xRange(double min, double max) {
        xMin = min;
        xMax = max;
        return this;
    }

    public LineChart yRange(double min, double max) {
        yMin = min;
        yMax = max;
        return this;
    }

    public LineChart series(String name, double[] x, double[] y, Color color, boolean dashed, boolean markers) {
        series.add(new Series(name, x, y, null, null, color, dashed, markers));
        return this;
    }

    /** A solid line with markers at {@code y} and a whisker from {@code low} to {@code high} at each point. */
    public LineChart seriesWithSpread(String name, double[] x, double[] y, double[] low, double[] high, Color color) {
        if (low.length != x.length || high.length != x.length || y.length != x.length) {
            throw new IllegalArgumentException("x, y, low and high need the same length");
        }
        series.add(new Series(name, x, y, low, high, color, false, true));
        return this;
    }

    /** Where the axes' box lies inside {@code area}. */
    public static Rectangle plotArea(Rectangle area) {
        return new Rectangle(area.x + 70, area.y + 40, area.width - 90, area.height - 95);
    }

    @Override
    public void draw(Graphics2D g, Rectangle area) {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        Rectangle plot = plotArea(area);
        g.setColor(Color.WHITE);
        g.fill(area);
        drawTitle(g, area);
        Ticks xTicks = xTicks();
        Ticks yTicks = yTicks();
        Ticks.Axis x = xTicks.axis(plot.x, plot.x + plot.width);
        Ticks.Axis y = yTicks.axis(plot.y + plot.height, plot.y);
        drawGridAndTicks(g, fm, plot, xTicks, yTicks, x, y);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        g.drawRect(plot.x, plot.y, plot.width, plot.height);
        drawAxisLabels(g, fm, area, plot);
        Stroke old = g.getStroke();
        Graphics2D clipped = (Graphics2D) g.create();
        clipped.clipRect(plot.x - 4, plot.y - 4, plot.width + 8, plot.height + 8);
        for (Series s : series) {
            drawSeries(clipped, s, x, y);
        }
        clipped.dispose();
        g.setStroke(old);
        drawLegend(g, fm, plot);
    }

    private void drawTitle(Graphics2D g, Rectangle area) {
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        g.setFont(titleFont);
        g.setColor(Color.BLACK);
        int width = g.getFontMetrics().stringWidth(title);
        g.drawString(title, area.x + (area.width - width) / 2, area.y + 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    }

    private Ticks xTicks() {
        double[] xs = range(xMin, xMax, true);
        return Ticks.of(xs[0], xs[1]);
    }

    private Ticks yTicks() {
        double[] ys = range(yMin, yMax, false);
        return Ticks.of(ys[0], ys[1]);
    }

    private void drawGridAndTicks(Graphics2D g, FontMetrics fm, Rectangle plot, Ticks xTicks, Ticks yTicks,
                                  Ticks.Axis x, Ticks.Axis y) {
        g.setStroke(new BasicStroke(1f));
        for (double v : xTicks.values()) {
            int px = x.pixel(v);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(px, plot.y, px, plot.y + plot.height);
            g.setColor(Color.BLACK);
            g.drawLine(px, plot.y + plot.height, px, plot.y + plot.height + 5);
            String text = xTicks.format(v);
            g.drawString(text, px - fm.stringWidth(text) / 2, plot.y + plot.height + 7 + fm.getAscent());
        }
        for (double v : yTicks.values()) {
            int py = y.pixel(v);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(plot.x, py, plot.x + plot.width, py);
            g.setColor(Color.BLACK);
            g.drawLine(plot.x - 5, py, plot.x, py);
            String text = yTicks.format(v);
            g.drawString(text, plot.x - 8 - fm.stringWidth(text), py + fm.getAscent() / 2 - 1);
        }
    }

    private void drawAxisLabels(Graphics2D g, FontMetrics fm, Rectangle area, Rectangle plot) {
        g.drawString(xLabel, plot.x + (plot.width - fm.stringWidth(xLabel)) / 2, area.y + area.height - 12);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.translate(area.x + 18, plot.y + (plot.height + fm.stringWidth(yLabel)) / 2);
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, 0, 0);
        rotated.dispose();
    }

    private static void drawSeries(Graphics2D g, Series s, Ticks.Axis x, Ticks.Axis y) {
        g.setColor(s.color);
        if (s.low != null) {
            drawWhiskers(g, s, x, y);
        }
        g.setStroke(s.dashed ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                new float[] {6f, 5f}, 0f) : new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D.Double path = new Path2D.Double();
        boolean penDown = false;
        for (int i = 0; i < s.x.length; i++) {
            if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.y[i])) {
                penDown = false;
                continue;
            }
            double px = x.exact(s.x[i]);
            double py = y.exact(s.y[i]);
            if (penDown) path.lineTo(px, py); else path.moveTo(px, py);
            penDown = true;
            if (s.markers) {
                g.fillOval((int) Math.round(px) - 3, (int) Math.round(py) - 3, 7, 7);
            }
        }
        g.draw(path);
    }

    /** A vertical line from low to high with short caps, at each finite point. */
    private static void drawWhiskers(Graphics2D g, Series s, Ticks.Axis x, Ticks.Axis y) {
        g.setStroke(new BasicStroke(1.5f));
        for (int i = 0; i < s.x.length; i++) {
            if (!Double.isFinite(s.x[i]) || !Double.isFinite(s.low[i]) || !Double.isFinite(s.high[i])) {
                continue;
            }
            int px = x.pixel(s.x[i]);
            int top = y.pixel(s.high[i]);
            int bottom = y.pixel(s.low[i]);
            g.drawLine(px, top, px, bottom);
            g.drawLine(px - 5, top, px + 5, top);
            g.drawLine(px - 5, bottom, px + 5, bottom);
        }
    }

    private void drawLegend(Graphics2D g, FontMetrics fm, Rectangle plot) {
        if (series.isEmpty()) {
            return;
        }
        int width = series.stream().mapToInt(s -> fm.stringWidth(s.name)).max().orElse(0) + 44;
        int height = series.size() * (fm.getHeight() + 2) + 8;
        Rectangle box = quietestCorner(plot, width, height);
        int left = box.x;
        int top = box.y;
        g.setColor(new Color(255, 255, 255, 225));
        g.fillRect(left, top, width, height);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, width, height);
        int row = top + 4 + fm.getAscent();
        for (Series s : series) {
            g.setColor(s.color);
            g.setStroke(s.dashed ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
                    new float[] {6f, 5f}, 0f) : new BasicStroke(2.2f));
            g.drawLine(left + 6, row - fm.getAscent() / 2 + 1, left + 30, row - fm.getAscent() / 2 + 1);
            g.setColor(Color.BLACK);
            g.drawString(s.name, left + 36, row);
            row += fm.getHeight() + 2;
        }
    }

    /** The plot corner where the legend hides the fewest data points (bottom right on a tie). */
    private Rectangle quietestCorner(Rectangle plot, int width, int height) {
        int right = plot.x + plot.width - width - 8;
        int bottom = plot.y + plot.height - height - 8;
        Rectangle[] corners = {
            new Rectangle(right, bottom, width, height), new Rectangle(right, plot.y + 8, width, height),
            new Rectangle(plot.x + 8, bottom, width, height), new Rectangle(plot.x + 8, plot.y + 8, width, height),
        };
        Rectangle best = corners[0];
        long fewest = Long.MAX_VALUE;
        for (Rectangle corner : corners) {
            long hidden = hiddenPoints(corner, plot);
            if (hidden < fewest) {
                fewest = hidden;
                best = corner;
            }
        }
        return best;
    }

    /** Points of all series, sampled densely along each segment, that fall inside {@code box}. */
    private long hiddenPoints(Rectangle box, Rectangle plot) {
        Ticks.Axis x = xTicks().axis(plot.x, plot.x + plot.width);
        Ticks.Axis y = yTicks().axis(plot.y + plot.height, plot.y);
        long hidden = 0;
        for (Series s : series) {
            for (int i = 0; i + 1 < s.x.length; i++) {
                for (int k = 0; k < 20; k++) {
                    double t = k / 20.0;
                    double px = x.exact(s.x[i] + t * (s.x[i + 1] - s.x[i]));
                    double py = y.exact(s.y[i] + t * (s.y[i + 1] - s.y[i]));
                    if (box.contains(px, py)) hidden++;
                }
            }
        }
        return hidden;
    }

    private double[] range(double fixedMin, double fixedMax, boolean horizontal) {
        double min = fixedMin, max = fixedMax;
        if (Double.isNaN(min) || Double.isNaN(max)) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (Series s : series) {
                for (double[] values : horizontal ? new double[][] {s.x} : new double[][] {s.y, s.low, s.high}) {
                    for (double v : values == null ? new double[0] : values) {
                        if (Double.isFinite(v)) {
                            lo = Math.min(lo, v);
                            hi = Math.max(hi, v);
                        }
                    }
                }
            }
            if (lo > hi) {
                lo = 0;
                hi = 1;
            }
            if (lo == hi) {
                lo -= 0.5;
                hi += 0.5;
            }
            min = Double.isNaN(min) ? lo : min;
            max = Double.isNaN(max) ? hi : max;
        }
        return new double[] {min, max};
    }

    private record Series(String name, double[] x, double[] y, double[] low, double[] high, Color color,
                          boolean dashed, boolean markers) {
    }
}
