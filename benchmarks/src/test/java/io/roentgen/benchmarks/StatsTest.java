package io.roentgen.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StatsTest {
    @Test
    void spreadHasMedianRangeQuartilesAndTheValuesInMeasuredOrder() {
        Stats.Spread s = Stats.spread(new double[] {40, 10, 30, 20});
        assertEquals(25, s.median());
        assertEquals(10, s.min());
        assertEquals(40, s.max());
        assertEquals(17.5, s.p25(), 1e-12); // numpy.percentile([10,20,30,40], 25)
        assertEquals(32.5, s.p75(), 1e-12);
        assertArrayEquals(new double[] {40, 10, 30, 20}, s.values());
    }

    @Test
    void oneValueIsItsOwnSpread() {
        Stats.Spread s = Stats.spread(List.of(7.0));
        assertEquals(7, s.median());
        assertEquals(7, s.p25());
        assertEquals(7, s.max());
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3, Stats.median(new double[] {5, 1, 3}));
        assertEquals(2.5, Stats.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void nearestRankPercentiles() {
        double[] ms = new double[100];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = 100 - i; // 100 .. 1, unsorted on purpose
        }
        assertEquals(50, Stats.percentile(ms, 0.5));
        assertEquals(99, Stats.percentile(ms, 0.99));
        assertEquals(100, Stats.percentile(ms, 1.0));
        assertEquals(7, Stats.percentile(new double[] {7}, 0.99));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(ms, 0));
        assertThrows(IllegalArgumentException.class, () -> Stats.median(new double[0]));
    }
}
