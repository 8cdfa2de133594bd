package io.roentgen.models.report;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.entity.StandardEntityCollection;
import org.jfree.chart.plot.XYPlot;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.Set;

/** One chart drawn into an image, with where its axes put data values, for tests to look at pixels. */
record Rendered(BufferedImage image, JFreeChart chart, ChartRenderingInfo info) {

    static Rendered of(JFreeChart chart, int width, int height) {
        ChartRenderingInfo info = new ChartRenderingInfo(new StandardEntityCollection());
        BufferedImage image = ChartFiles.sideBySide(width, height, new ChartRenderingInfo[] {info}, chart);
        return new Rendered(image, chart, info);
    }

    Rectangle2D dataArea() {
        return info.getPlotInfo().getDataArea();
    }

    /** The pixel column of data value {@code x}. */
    int px(double x) {
        XYPlot plot = chart.getXYPlot();
        return (int) Math.round(plot.getDomainAxis().valueToJava2D(x, dataArea(), plot.getDomainAxisEdge()));
    }

    /** The pixel row of data value {@code y}. */
    int py(double y) {
        XYPlot plot = chart.getXYPlot();
        return (int) Math.round(plot.getRangeAxis().valueToJava2D(y, dataArea(), plot.getRangeAxisEdge()));
    }

    /** Some pixel of exactly {@code color} within 3 pixels of (x, y). */
    boolean near(int x, int y, Color color) {
        for (int dy = -3; dy <= 3; dy++) {
            for (int dx = -3; dx <= 3; dx++) {
                if (rgb(x + dx, y + dy) == (color.getRGB() & 0xffffff)) {
                    return true;
                }
            }
        }
        return false;
    }

    int rgb(int x, int y) {
        return image.getRGB(x, y) & 0xffffff;
    }

    static long count(BufferedImage image, Color color, int fromX, int toX) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = fromX; x < toX; x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (color.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** How many distinct colours, up to {@code enough}: a blank image has one. */
    static int colours(BufferedImage image, int enough) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight() && seen.size() < enough; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
