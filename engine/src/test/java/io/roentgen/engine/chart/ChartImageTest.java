package io.roentgen.engine.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartImageTest {
    private static final Color BLUE = ChartImage.PALETTE[0];
    private static final Color RED = ChartImage.PALETTE[1];

    @TempDir
    Path temp;

    @Test
    void aFlatSeriesLiesAcrossTheMiddleOfItsPanelAndItsWhiskersAboveAndBelow() throws IOException {
        LineChart chart = new LineChart("flat", "x", "y").xRange(0, 10).yRange(0, 10)
                .seriesWithSpread("median", new double[] {0, 5, 10}, new double[] {5, 5, 5},
                        new double[] {2, 2, 2}, new double[] {8, 8, 8}, BLUE);
        Path png = temp.resolve("line.png");
        ChartImage.writePng(ChartImage.sideBySide(800, 400, chart), png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(800, image.getWidth());
        assertEquals(400, image.getHeight());
        Rectangle plot = LineChart.plotArea(new Rectangle(0, 0, 800, 400));
        int middle = plot.y + plot.height / 2;
        int quarter = plot.x + plot.width / 4;
        assertTrue(near(image, quarter, middle, BLUE), "the line at y=5 crosses x=2.5");
        int whiskerTop = plot.y + (int) Math.round(plot.height * 0.2);
        assertTrue(near(image, plot.x + plot.width / 2, whiskerTop, BLUE), "the whisker's cap at y=8, x=5");
        assertFalse(near(image, quarter, plot.y + plot.height / 10, BLUE), "nothing at y=9");
        assertFalse(Files.exists(temp.resolve("line.png.tmp")));
    }

    @Test
    void barsArePaintedInTheirOwnPanel() throws IOException {
        BarChart left = new BarChart("left", "MB/s", BLUE).bar("Explicit VR Little Endian", 100, 90, 110)
                .bar("RLE Lossless", 50, Double.NaN, Double.NaN);
        BarChart right = new BarChart("right", "files/s", RED).bar("only", 3, 2, 4);
        BufferedImage image = ChartImage.sideBySide(1000, 400, left, right);
        assertTrue(count(image, BLUE, 0, 500) > 2000, "two blue bars on the left");
        assertEquals(0, count(image, BLUE, 500, 1000));
        assertTrue(count(image, RED, 500, 1000) > 2000, "a red bar on the right");
        assertEquals(0, count(image, RED, 0, 500));
    }

    @Test
    void anUnwritableTargetIsAnIOException() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        BufferedImage image = ChartImage.sideBySide(100, 100, new BarChart("t", "v", BLUE));
        assertThrows(IOException.class, () -> ChartImage.writePng(image, file.resolve("x.png")));
    }

    /** Some pixel of {@code color} within 3 pixels of (x, y). */
    private static boolean near(BufferedImage image, int x, int y, Color color) {
        for (int dy = -3; dy <= 3; dy++) {
            for (int dx = -3; dx <= 3; dx++) {
                if ((image.getRGB(x + dx, y + dy) & 0xffffff) == (color.getRGB() & 0xffffff)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long count(BufferedImage image, Color color, int fromX, int toX) {
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
}
