package io.roentgen.models.report;

import org.jfree.chart.entity.ChartEntity;
import org.jfree.chart.entity.XYItemEntity;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineChartTest {
    private static final Color BLUE = ChartFiles.PALETTE[0];

    @Test
    void aFlatSeriesLiesAcrossTheMiddleAndItsWhiskersReachAboveAndBelow() {
        Rendered r = Rendered.of(new LineChart("flat", "x", "y").xRange(0, 10).yRange(0, 10)
                .seriesWithSpread("median", new double[] {0, 5, 10}, new double[] {5, 5, 5},
                        new double[] {2, 2, 2}, new double[] {8, 8, 8}, BLUE).chart(), 800, 400);
        assertTrue(r.near(r.px(2.5), r.py(5), BLUE), "the line at y=5 crosses x=2.5");
        assertTrue(r.near(r.px(5), r.py(8), BLUE), "the whisker's cap at y=8, x=5");
        assertTrue(r.near(r.px(5), r.py(2), BLUE), "the whisker's cap at y=2, x=5");
        assertFalse(r.near(r.px(2.5), r.py(9), BLUE), "nothing at y=9");
    }

    @Test
    void aNonFinitePointBreaksTheLine() {
        Rendered r = Rendered.of(new LineChart("gap", "x", "y").xRange(0, 4).yRange(0, 2)
                .series("s", new double[] {0, 1, 2, 3, 4}, new double[] {1, 1, Double.NaN, 1, Double.POSITIVE_INFINITY},
                        BLUE, false, false).chart(), 800, 400);
        assertTrue(r.near(r.px(0.5), r.py(1), BLUE), "drawn from 0 to 1");
        assertFalse(r.near(r.px(1.5), r.py(1), BLUE), "not from 1 to the missing 2");
        assertFalse(r.near(r.px(3.5), r.py(1), BLUE), "not from 3 to the infinite 4");
    }

    /** Batch sizes 1..256 on a log2 axis: every doubling is the same distance to the right. */
    @Test
    void batchSizesAreEquallySpacedOnTheLog2Axis() {
        double[] batch = {1, 2, 4, 8, 16, 32, 64, 128, 256};
        double[] rate = {50, 90, 160, 260, 380, 450, 480, 490, 495};
        Rendered r = Rendered.of(new LineChart("bench", "batch size", "images/s").xLog2().yFromZero()
                .seriesWithSpread("images/s", batch, rate, rate, rate, BLUE).chart(), 600, 500);
        List<Double> centres = new ArrayList<>();
        for (Object o : r.info().getEntityCollection().getEntities()) {
            if (o instanceof XYItemEntity item) {
                centres.add(((ChartEntity) item).getArea().getBounds2D().getCenterX());
            }
        }
        assertEquals(batch.length, centres.size());
        double step = (centres.get(8) - centres.get(0)) / 8;
        assertTrue(step > 30, "the points spread over the axis: " + centres);
        for (int i = 1; i < batch.length; i++) {
            assertEquals(step, centres.get(i) - centres.get(i - 1), 1.5, "doubling " + i + ": " + centres);
        }
        assertEquals(r.px(16), centres.get(4), 1.5, "the axis maps 16 to its point");
    }
}
