package io.roentgen.benchmarks.jmh;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.jpeg.JpegLosslessDecoder;
import io.roentgen.dicom.codec.rle.RleDecoder;
import io.roentgen.dicom.pixel.Frame;
import io.roentgen.dicom.ImageDescriptor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The microbenchmarks decode what they claim to: every encoding gives back the same stored values. */
class BenchmarkInputsTest {
    @Test
    void everyEncodingDecodesToTheStoredValues() throws DicomException {
        byte[] stored = CtFrame.stored();
        DecodeBenchmarks bench = new DecodeBenchmarks();
        bench.setUp();
        assertArrayEquals(stored, bench.rleLossless());
        assertArrayEquals(stored, bench.jpegLossless());
        Frame masked = bench.nativeMasked();
        assertNotEquals(stored[1], CtFrame.storedWithHighBitNoise()[1], "the high bits carry noise");
        assertTrue(masked.maxStoredValue() <= 4095);
        for (int i = 0; i < masked.pixelCount(); i += 997) {
            assertEquals((stored[2 * i] & 0xff) | (stored[2 * i + 1] & 0xff) << 8, masked.sample(i), "pixel " + i);
        }
    }

    @Test
    void theJpegWriterRoundTripsFullRangeSixteenBitValues() throws DicomException {
        int rows = 37;
        int columns = 53;
        byte[] pixels = new byte[rows * columns * 2];
        new SplittableRandom(3).nextBytes(pixels); // every difference category, 0xFF bytes to stuff
        ImageDescriptor image = new ImageDescriptor(rows, columns, 1, 16, 16, 15, false, 0, "MONOCHROME2", 1);
        byte[] jpeg = new LosslessJpegWriter().encode(pixels, rows, columns, 16);
        assertArrayEquals(pixels, new JpegLosslessDecoder().decode(jpeg, image).nativeBytes());
    }

    @Test
    void pixelBenchmarksProduceWindowedAndResizedImages() throws DicomException {
        PixelBenchmarks bench = new PixelBenchmarks();
        bench.setUp();
        var windowed = bench.pipelineWindowToFloat();
        assertEquals(CtFrame.SIZE, windowed.width());
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : windowed.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min, "air is below the window");
        assertTrue(max > 0.5f && max <= 1f, "soft tissue fills the window: " + max);
        assertEquals(224, bench.resizeTo224().height());
    }
}
