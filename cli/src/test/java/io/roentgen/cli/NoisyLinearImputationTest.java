package io.roentgen.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NoisyLinearImputationTest {
    private static final int H = 20;
    private static final int W = 24;

    @Test
    void aRampIsImputedExactlyAndPresentPixelsAreKept() {
        // A plane is the weighted mean of its 8 neighbours wherever all 8 are inside the image.
        float[] ramp = plane((y, x) -> 0.3f * x - 0.2f * y + 1);
        boolean[] present = allPresent();
        square(present, 5, 6, 8, false);
        float[] imputed = NoisyLinearImputation.impute(ramp, present, H, W, new Random(1), 0);
        assertArrayEquals(ramp, imputed, 1e-4f);
    }

    @Test
    void aRemovedBlobLeavesNoPeakOfItsOwn() {
        // A bright blob whose whole support is removed: the fill is a mean of its surroundings, so it
        // stays at the background and has no maximum inside.
        float[] blob = plane((y, x) -> 0.2f + 0.01f * x + (float) Math.exp(-((y - 10) * (y - 10) + (x - 12) * (x - 12)) / 4.0));
        boolean[] present = allPresent();
        square(present, 4, 6, 13, false);
        float[] imputed = NoisyLinearImputation.impute(blob, present, H, W, new Random(1), 0);
        float outside = 0;
        for (int i = 0; i < blob.length; i++) {
            if (present[i]) {
                outside = Math.max(outside, blob[i]);
                assertEquals(blob[i], imputed[i], 0f);
            }
        }
        for (int i = 0; i < blob.length; i++) {
            assertTrue(imputed[i] <= outside + 1e-4f, "imputed " + imputed[i] + " above the surroundings' " + outside);
        }
        assertTrue(blob[10 * W + 12] > outside + 0.5f, "the blob was not removed with its support");
    }

    @Test
    void withNothingPresentThePlaneIsItsMeanPlusNoise() {
        float[] ramp = plane((y, x) -> x);
        float[] imputed = NoisyLinearImputation.impute(ramp, new boolean[H * W], H, W, new Random(1));
        double mean = 0;
        double variance = 0;
        for (float v : imputed) {
            mean += v / imputed.length;
        }
        for (float v : imputed) {
            variance += (v - mean) * (v - mean) / imputed.length;
        }
        assertEquals((W - 1) / 2.0, mean, 0.01);
        assertEquals(NoisyLinearImputation.NOISE, Math.sqrt(variance), 0.002);
    }

    private interface Pixel {
        float at(int y, int x);
    }

    private static float[] plane(Pixel f) {
        float[] p = new float[H * W];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                p[y * W + x] = f.at(y, x);
            }
        }
        return p;
    }

    private static boolean[] allPresent() {
        boolean[] p = new boolean[H * W];
        java.util.Arrays.fill(p, true);
        return p;
    }

    private static void square(boolean[] mask, int top, int left, int size, boolean value) {
        for (int y = top; y < top + size; y++) {
            for (int x = left; x < left + size; x++) {
                mask[y * W + x] = value;
            }
        }
    }
}
