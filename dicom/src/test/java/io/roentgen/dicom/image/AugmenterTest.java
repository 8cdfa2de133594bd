package io.roentgen.dicom.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {
    private static FloatImage randomImage(int channels, int height, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[channels * height * width];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble();
        }
        return new FloatImage(data, channels, height, width);
    }

    private static Augmentation everything() {
        return new Augmentation(0.5, 0.5, 0.8, 15, 0.15, 0.1, 0, 0.8, 0.1, 0.2, 0.3);
    }

    @Test
    void sameSeedEpochAndSampleGiveTheSameTensor() {
        FloatImage image = randomImage(3, 32, 40, 1);
        Augmenter augmenter = new Augmenter(everything());
        int differentFromInput = 0;
        for (long index = 0; index < 50; index++) {
            FloatImage first = augmenter.apply(image, 1234, 3, index);
            FloatImage again = new Augmenter(everything()).apply(image, 1234, 3, index);
            assertTrue(first.sameAs(again));
            differentFromInput += first.sameAs(image) ? 0 : 1;
            assertFalse(first.sameAs(augmenter.apply(image, 1234, 4, index)) && first.sameAs(augmenter.apply(image, 1235, 3, index))
                    && !first.sameAs(image), "epoch and seed both ignored");
        }
        assertTrue(differentFromInput > 40);
        assertFalse(augmenter.apply(image, 1, 0, 0).sameAs(augmenter.apply(image, 1, 0, 1)));
        assertFalse(augmenter.apply(image, 1, 0, 0).sameAs(augmenter.apply(image, 1, 1, 0)));
        assertFalse(augmenter.apply(image, 1, 0, 0).sameAs(augmenter.apply(image, 2, 0, 0)));
    }

    @Test
    void offIsTheIdentity() {
        FloatImage image = randomImage(1, 8, 8, 2);
        assertTrue(Augmentation.off().isOff());
        assertSame(image, new Augmenter(Augmentation.off()).apply(image, 1, 2, 3));
        assertSame(image, Augmenter.OFF.apply(image, 4, 5, 6));
    }

    @Test
    void certainFlipsMirrorExactly() {
        FloatImage image = new FloatImage(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
        FloatImage horizontal = new Augmenter(new Augmentation(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).apply(image, 0, 0, 0);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, horizontal.data());
        FloatImage both = new Augmenter(new Augmentation(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)).apply(image, 0, 0, 0);
        assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1}, both.data());
    }

    @Test
    void warpWithoutMotionIsExactAndQuarterTurnRotates() {
        FloatImage image = randomImage(2, 5, 5, 3);
        FloatImage still = new Augmenter(new Augmentation(0, 0, 1, 0, 0, 0, 7, 0, 0, 0, 0)).apply(image, 9, 9, 9);
        assertArrayEquals(image.data(), still.data(), 0f);

        FloatImage turned = AffineWarp.apply(image, Math.PI / 2, 1, 0, 0, 0);
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 5; x++) {
                    // p' = R (p - c) + c with R a quarter turn: (x, y) -> (4 - y, x), y pointing down.
                    assertEquals(image.get(c, y, x), turned.get(c, x, 4 - y), 1e-5f);
                }
            }
        }
        FloatImage shifted = AffineWarp.apply(image, 0, 1, 2, 0, -1);
        assertEquals(image.get(1, 3, 0), shifted.get(1, 3, 2), 1e-6f);
        assertEquals(-1f, shifted.get(1, 3, 1), 1e-6f);
    }

    @Test
    void intensityJitterShiftsAndStretchesAroundTheMean() {
        FloatImage image = new FloatImage(new float[] {0.2f, 0.4f, 0.6f}, 1, 1, 3);
        FloatImage out = IntensityJitter.apply(image, 0.1f, 2f, 1f);
        assertArrayEquals(new float[] {0.1f, 0.5f, 0.9f}, out.data(), 1e-6f);
        FloatImage gamma = IntensityJitter.apply(image, 0f, 1f, 2f);
        assertArrayEquals(new float[] {0.04f, 0.16f, 0.36f}, gamma.data(), 1e-6f);
    }

    @Test
    void augmentationRoundTripsThroughJsonAndValidates() {
        assertEquals(everything(), Augmentation.fromJson(everything().toJson()));
        assertEquals(Augmentation.off(), Augmentation.fromJson("{}"));
        assertThrows(IllegalArgumentException.class, () -> Augmentation.fromJson("{\"horizontalFlip\":1.5}"));
        assertThrows(IllegalArgumentException.class, () -> Augmentation.fromJson("{\"maxScale\":-0.1}"));
    }
}
