package io.roentgen.dicom.image;

import io.roentgen.dicom.pixel.Frame;
import io.roentgen.dicom.pixel.PaletteLut;
import io.roentgen.dicom.pixel.PixelAttributes;
import io.roentgen.dicom.pixel.VoiFunction;
import io.roentgen.dicom.pixel.VoiSpec;

import io.roentgen.dicom.DicomException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window step (Modality LUT, VOI, MONOCHROME1, colour), run through {@link Preprocessing}. */
class WindowingTest {
    private static final PreprocessingSpec DEFAULTS = PreprocessingSpec.window(VoiSpec.file(), true);
    private static final double EPS = 1e-6;

    private static Frame mono(String photometric, int bitsStored, boolean signed, int... values) {
        return new Frame(1, values.length, 1, bitsStored <= 8 ? 8 : bitsStored <= 16 ? 16 : 32, bitsStored, signed,
                photometric, values);
    }

    private static float[] run(PreprocessingSpec spec, Frame f, PixelAttributes a) throws DicomException {
        return Preprocessing.of(spec).apply(f, a).data();
    }

    @Test
    void linearFollowsC11212WithTheHalfAndMinusOneTerms() {
        // c=128 w=256: x <= 0 -> 0, x > 255 -> 1, else (x - 127.5) / 255 + 0.5
        assertEquals(0.0, VoiFunction.LINEAR.apply(0, 128, 256), EPS);
        assertEquals(1.0 / 255, VoiFunction.LINEAR.apply(1, 128, 256), EPS);
        assertEquals(0.5 + 0.5 / 255, VoiFunction.LINEAR.apply(128, 128, 256), EPS);
        assertEquals(1.0, VoiFunction.LINEAR.apply(255, 128, 256), EPS);
        assertEquals(1.0, VoiFunction.LINEAR.apply(256, 128, 256), EPS);
        // width 1 is a threshold at c - 0.5
        assertEquals(0.0, VoiFunction.LINEAR.apply(99, 100, 1), EPS);
        assertEquals(1.0, VoiFunction.LINEAR.apply(100, 100, 1), EPS);
    }

    @Test
    void linearExactAndSigmoid() {
        assertEquals(0.0, VoiFunction.LINEAR_EXACT.apply(-50, 0, 100), EPS);
        assertEquals(0.5, VoiFunction.LINEAR_EXACT.apply(0, 0, 100), EPS);
        assertEquals(0.75, VoiFunction.LINEAR_EXACT.apply(25, 0, 100), EPS);
        assertEquals(1.0, VoiFunction.LINEAR_EXACT.apply(51, 0, 100), EPS);
        assertEquals(0.5, VoiFunction.SIGMOID.apply(40, 40, 400), EPS);
        assertEquals(1 / (1 + Math.exp(-1)), VoiFunction.SIGMOID.apply(140, 40, 400), EPS);
        assertEquals(VoiFunction.SIGMOID, VoiFunction.fromDicom(" sigmoid "));
        assertEquals(VoiFunction.LINEAR_EXACT, VoiFunction.fromDicom("LINEAR_EXACT"));
        assertEquals(VoiFunction.LINEAR, VoiFunction.fromDicom(null));
        assertEquals(VoiFunction.LINEAR, VoiFunction.fromDicom("SOMETHING"));
    }

    @Test
    void rescaleThenExplicitWindowInModalityUnits() throws DicomException {
        // stored 0..4 with slope 2 intercept -1024 -> -1024, -1022, ... ; window c=-1020 w=9 linear
        Frame f = mono("MONOCHROME2", 12, true, 0, 1, 2, 3, 4);
        PixelAttributes a = PixelAttributes.builder().rescale(2, -1024).build();
        float[] out = run(PreprocessingSpec.window(VoiSpec.explicit(-1020, 9), true), f, a);
        for (int i = 0; i < 5; i++) {
            assertEquals(VoiFunction.LINEAR.apply(2 * i - 1024, -1020, 9), out[i], EPS);
        }
        assertArrayEquals(new float[] {-1024, -1022, -1020, -1018, -1016}, Windowing.modalityValues(f, a));
    }

    @Test
    void fileWindowUsesTheFirstValuesAndTheFileFunction() throws DicomException {
        Frame f = mono("MONOCHROME2", 16, false, 0, 100, 200, 300, 400);
        PixelAttributes a = PixelAttributes.builder().windows(new double[] {200, 9999}, new double[] {201, 1})
                .build();
        float[] out = run(DEFAULTS, f, a);
        for (int i = 0; i < 5; i++) {
            assertEquals(VoiFunction.LINEAR.apply(100 * i, 200, 201), out[i], EPS);
        }
        PixelAttributes sigmoid = a.toBuilder().voiLutFunction("SIGMOID").build();
        float[] s = run(DEFAULTS, f, sigmoid);
        assertEquals(0.5, s[2], EPS);
        assertEquals(VoiFunction.SIGMOID.apply(300, 200, 201), s[3], EPS);
    }

    @Test
    void fileModeFallsBackToMinMaxWithoutAUsableWindow() throws DicomException {
        Frame f = mono("MONOCHROME2", 16, false, 10, 20, 30);
        float[] none = run(DEFAULTS, f, PixelAttributes.NONE);
        assertArrayEquals(new float[] {0f, 0.5f, 1f}, none, 1e-6f);
        float[] zeroWidth = run(DEFAULTS, f, PixelAttributes.builder().window(20, 0).build());
        assertArrayEquals(none, zeroWidth, 1e-6f);
        float[] minMax = run(PreprocessingSpec.window(VoiSpec.minMax(), true), f,
                PixelAttributes.builder().window(0, 1).build());
        assertArrayEquals(none, minMax, 1e-6f);
    }

    @Test
    void constantImagesGiveZerosNotNaN() throws DicomException {
        Frame f = mono("MONOCHROME2", 16, false, 7, 7, 7);
        assertArrayEquals(new float[3], run(PreprocessingSpec.window(VoiSpec.minMax(), true), f, null));
        assertArrayEquals(new float[3], run(PreprocessingSpec.window(VoiSpec.percentile(1, 99), true), f, null));
    }

    @Test
    void monochrome1IsInvertedUnlessTurnedOff() throws DicomException {
        Frame f = mono("MONOCHROME1", 8, false, 0, 255);
        assertArrayEquals(new float[] {1f, 0f}, run(DEFAULTS, f, null), 1e-6f);
        assertArrayEquals(new float[] {0f, 1f},
                run(PreprocessingSpec.window(VoiSpec.file(), false), f, null), 1e-6f);
        assertArrayEquals(new float[] {0f, 1f}, run(DEFAULTS, mono("MONOCHROME2", 8, false, 0, 255),
                null), 1e-6f);
    }

    @Test
    void negativeSlopeKeepsHigherModalityValuesBrighter() throws DicomException {
        Frame f = mono("MONOCHROME2", 8, false, 0, 10);
        PixelAttributes a = PixelAttributes.builder().rescale(-1, 0).build();
        assertArrayEquals(new float[] {1f, 0f}, run(PreprocessingSpec.window(VoiSpec.minMax(), true), f, a));
    }

    @Test
    void percentileWindowIsTheNearestRankOfAHistogram() throws DicomException {
        Random r = new Random(3);
        int[] v = new int[10007];
        for (int i = 0; i < v.length; i++) {
            v[i] = (int) Math.round(r.nextGaussian() * 300) - 100;
        }
        v[0] = -2048;
        v[1] = 2047; // outliers the window must ignore
        Frame f = new Frame(1, v.length, 1, 16, 12, true, "MONOCHROME2", v);
        int[] sorted = v.clone();
        Arrays.sort(sorted);
        long lo = sorted[(int) Math.ceil(0.005 * v.length) - 1];
        long hi = sorted[(int) Math.ceil(0.995 * v.length) - 1];
        long[] got = Windowing.percentiles(f, sorted[0], sorted[sorted.length - 1], 0.5, 99.5);
        assertArrayEquals(new long[] {lo, hi}, got);
        float[] out = run(PreprocessingSpec.window(VoiSpec.percentile(0.5, 99.5), true), f, null);
        for (int i = 0; i < v.length; i++) {
            double expected = v[i] <= lo ? 0 : v[i] >= hi ? 1 : (v[i] - lo) / (double) (hi - lo);
            assertEquals(expected, out[i], 1e-6);
        }
    }

    @Test
    void percentileOfWideThirtyTwoBitRangesIsBinned() throws DicomException {
        int[] v = new int[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 4_000_000; // 0 .. ~4e9 unsigned
        }
        Frame f = new Frame(1, v.length, 1, 32, 32, false, "MONOCHROME2", v);
        long max = Integer.toUnsignedLong(v[999]);
        long[] got = Windowing.percentiles(f, 0, max, 10, 90);
        assertEquals(99L * 4_000_000, got[0], max / 65536.0 + 1);
        assertEquals(899L * 4_000_000, got[1], max / 65536.0 + 1);
        float[] out = run(PreprocessingSpec.window(VoiSpec.minMax(), true), f, null);
        assertEquals(0f, out[0]);
        assertEquals(1f, out[999]);
        assertEquals(500.0 / 999, out[500], 1e-6);
    }

    @Test
    void colourBecomesThreePlanesInZeroToOne() throws DicomException {
        Frame rgb = new Frame(1, 2, 3, 8, 8, false, "RGB", new int[] {0, 51, 255, 255, 102, 0});
        FloatImage out = Preprocessing.of(DEFAULTS).apply(rgb, PixelAttributes.builder().rescale(5, 5).build());
        assertEquals(3, out.channels());
        assertArrayEquals(new float[] {0f, 1f, 0.2f, 0.4f, 1f, 0f}, out.data(), 1e-6f);
        assertEquals(0.4f, out.get(1, 0, 1), 1e-6f);
        Frame ybr = new Frame(1, 1, 3, 8, 8, false, "YBR_FULL", new int[] {255, 128, 128});
        assertArrayEquals(new float[] {1f, 1f, 1f}, Preprocessing.of(DEFAULTS).apply(ybr, null).data(), 1e-6f);
        Frame palette = new Frame(1, 1, 1, 8, 8, false, "PALETTE COLOR", new int[] {1});
        PaletteLut lut = new PaletteLut(2, 0, 16, new int[] {0, 65535});
        PaletteLut zero = new PaletteLut(2, 0, 16, new int[] {0, 0});
        FloatImage p = Preprocessing.of(DEFAULTS).apply(palette,
                PixelAttributes.builder().palette(lut, zero, lut).build());
        assertArrayEquals(new float[] {1f, 0f, 1f}, p.data(), 1e-6f);
        assertThrows(DicomException.class, () -> Windowing.modalityValues(rgb, null));
    }

    @Test
    void nonFiniteRescaleIsADicomException() {
        Frame f = mono("MONOCHROME2", 8, false, 1);
        assertThrows(DicomException.class, () -> Preprocessing.of(DEFAULTS).apply(f,
                PixelAttributes.builder().rescale(Double.NaN, 0).build()));
    }
}
