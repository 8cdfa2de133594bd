package io.roentgen.models.report;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BarChartTest {
    private static final Color BLUE = ChartFiles.PALETTE[0];
    private static final Color RED = ChartFiles.PALETTE[1];

    @Test
    void barsArePaintedInTheirOwnPanel() {
        BarChart left = new BarChart("left", "MB/s", BLUE).bar("Explicit VR Little Endian", 100, 90, 110)
                .bar("RLE Lossless", 50, Double.NaN, Double.NaN);
        BarChart right = new BarChart("right", "files/s", RED).bar("only", 3, 2, 4);
        BufferedImage image = ChartFiles.sideBySide(1000, 400, left.chart(), right.chart());
        assertTrue(Rendered.count(image, BLUE, 0, 500) > 2000, "two blue bars on the left");
        assertEquals(0, Rendered.count(image, BLUE, 500, 1000));
        assertTrue(Rendered.count(image, RED, 500, 1000) > 2000, "a red bar on the right");
        assertEquals(0, Rendered.count(image, RED, 0, 500));
    }

    @Test
    void aBarTwiceTheValueIsTwiceAsLong() {
        BufferedImage image = ChartFiles.sideBySide(800, 400, new BarChart("t", "v", BLUE)
                .bar("long", 100, Double.NaN, Double.NaN).bar("short", 50, Double.NaN, Double.NaN).chart());
        int longest = 0;
        int shortest = Integer.MAX_VALUE;
        for (int y = 0; y < image.getHeight(); y++) {
            int run = 0;
            for (int x = 0; x < image.getWidth(); x++) {
                run = (image.getRGB(x, y) & 0xffffff) == (BLUE.getRGB() & 0xffffff) ? run + 1 : run;
            }
            if (run > 10) {
                longest = Math.max(longest, run);
                shortest = Math.min(shortest, run);
            }
        }
        assertEquals(2.0, longest / (double) shortest, 0.05, longest + " and " + shortest + " pixels");
    }
}
