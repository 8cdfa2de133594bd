package io.roentgen.server.batching;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchSizesTest {

    @Test
    void padsUpToTheNextPreferredSizeOrTheMax() {
        BatchSizes sizes = BatchSizes.of(32, List.of(1, 4, 8, 16));
        int[] expected = {0, 1, 4, 4, 4, 8, 8, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16};
        for (int n = 1; n < expected.length; n++) {
            assertEquals(expected[n], sizes.forwardSize(n), "batch of " + n);
        }
        for (int n = 17; n <= 32; n++) {
            assertEquals(32, sizes.forwardSize(n), "batch of " + n);
        }
        assertEquals(List.of(1, 4, 8, 16, 32), sizes.shapesToWarm());
        assertTrue(sizes.pads());
    }

    @Test
    void withoutPreferredSizesEveryBatchRunsAtItsOwnSizeAndEverySizeIsWarmed() {
        BatchSizes sizes = BatchSizes.upTo(4);
        assertFalse(sizes.pads());
        for (int n = 1; n <= 4; n++) {
            assertEquals(n, sizes.forwardSize(n));
        }
        assertEquals(List.of(1, 2, 3, 4), sizes.shapesToWarm());
        assertThrows(IllegalArgumentException.class, () -> sizes.forwardSize(5));
        assertThrows(IllegalArgumentException.class, () -> sizes.forwardSize(0));
    }

    @Test
    void preferredSizesMustBeAscendingWithinOneToMax() {
        assertEquals("preferred batch sizes in ascending order without repeats, got [8, 4]",
                assertThrows(IllegalArgumentException.class, () -> BatchSizes.of(32, List.of(8, 4))).getMessage());
        assertEquals("preferred batch sizes in ascending order without repeats, got [4, 4]",
                assertThrows(IllegalArgumentException.class, () -> BatchSizes.of(32, List.of(4, 4))).getMessage());
        assertEquals("preferred batch sizes from 1 to the max batch size 16, got 32",
                assertThrows(IllegalArgumentException.class, () -> BatchSizes.of(16, List.of(8, 32))).getMessage());
        assertEquals("preferred batch sizes from 1 to the max batch size 16, got 0",
                assertThrows(IllegalArgumentException.class, () -> BatchSizes.of(16, List.of(0, 8))).getMessage());
        assertEquals(List.of(8, 16), BatchSizes.of(16, List.of(8, 16)).shapesToWarm());
    }
}
