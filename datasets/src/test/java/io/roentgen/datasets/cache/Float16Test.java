package io.roentgen.datasets.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.testing.ExternalTool;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Float16Test {
    /** The binary16 definition, computed in double: (-1)^s * 2^(e - 15) * 1.m, or 2^-14 * 0.m. */
    private static double referenceValue(int half) {
        int sign = half >>> 15 & 1;
        int exponent = half >>> 10 & 0x1F;
        int mantissa = half & 0x3FF;
        double magnitude;
        if (exponent == 0x1F) {
            magnitude = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exponent == 0) {
            magnitude = Math.scalb(mantissa / 1024.0, -14);
        } else {
            magnitude = Math.scalb(1 + mantissa / 1024.0, exponent - 15);
        }
        return sign == 1 ? -magnitude : magnitude;
    }

    /**
     * Round to nearest, ties to even, by a different route than the code under test: scale the
     * value so that one half ulp is 1 and let {@link Math#rint} (ties to even) round it.
     */
    private static float referenceRound(float value) {
        if (Float.isNaN(value) || Float.isInfinite(value)) {
            return value;
        }
        double magnitude = Math.abs((double) value);
        int exponent = Math.max(Math.getExponent(magnitude), -14);
        double ulp = Math.scalb(1.0, exponent - 10);
        double rounded = Math.rint(magnitude / ulp) * ulp;
        float result = rounded > 65504 ? Float.POSITIVE_INFINITY : (float) rounded;
        return Math.copySign(result, value);
    }

    @Test
    void everyHalfConvertsToItsExactValueAndBack() {
        for (int h = 0; h < 1 << 16; h++) {
            double expected = referenceValue(h);
            float actual = Float16.toFloat((short) h);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), "half " + Integer.toHexString(h));
                assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(actual))));
                continue;
            }
            assertEquals(expected, actual, 0.0, "half " + Integer.toHexString(h));
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), "sign of zero");
            assertEquals((short) h, Float16.fromFloat(actual), "round trip of " + Integer.toHexString(h));
        }
    }

    @Test
    void tiesGoToTheEvenHalfAndAnythingPastATieToTheNearer() {
        for (int h = 0; h < 0x7C00; h++) {
            float low = Float16.toFloat((short) h);
            float high = Float16.toFloat((short) (h + 1)); // 0x7C00 is infinity: the tie there is 65520
            float midpoint = h + 1 == 0x7C00 ? 65520f : (low + high) / 2; // exact: 12 significant bits
            short even = (short) ((h & 1) == 0 ? h : h + 1);
            assertEquals(even, Float16.fromFloat(midpoint), "tie above " + Integer.toHexString(h));
            assertEquals((short) h, Float16.fromFloat(Math.nextDown(midpoint)));
            assertEquals((short) (h + 1), Float16.fromFloat(Math.nextUp(midpoint)));
            assertEquals((short) (0x8000 | h), Float16.fromFloat(-Math.nextDown(midpoint)));
        }
    }

    @Test
    void randomAndStructuredFloatsRoundLikeTheReference() {
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 3_000_000; i++) {
            assertRoundsLikeReference(Float.intBitsToFloat(random.nextInt()));
            assertRoundsLikeReference((float) (random.nextGaussian() * 1000));
            assertRoundsLikeReference((float) (random.nextDouble() * 1e-4));
        }
        // Every exponent and upper mantissa with low bits at and around the rounding point.
        int[] lowBits = {0, 1, 0xFFF, 0x1000, 0x1001, 0x1FFF};
        for (int high = 0; high < 1 << 19; high++) {
            for (int low : lowBits) {
                assertRoundsLikeReference(Float.intBitsToFloat(high << 13 | low));
            }
        }
    }

    private static void assertRoundsLikeReference(float value) {
        float expected = referenceRound(value);
        float actual = Float16.toFloat(Float16.fromFloat(value));
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), "NaN stays NaN");
        } else if (Float.floatToIntBits(expected) != Float.floatToIntBits(actual)) {
            assertEquals(expected, actual, "rounding " + value + " (0x" + Integer.toHexString(Float.floatToRawIntBits(value)) + ")");
        }
    }

    /** NumPy's float32 -> float16 cast (round to nearest even) is the outside reference. */
    @Test
    void agreesWithNumpyBitForBit(@TempDir Path dir) throws Exception {
        int count = 1 << 20;
        ByteBuffer floats = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom random = new SplittableRandom(99);
        for (int i = 0; i < count; i++) {
            int bits = switch (i % 4) {
                case 0 -> random.nextInt();
                case 1 -> Float.floatToRawIntBits((float) (random.nextGaussian() * 100));
                case 2 -> 0x3300_0000 + random.nextInt(0x1580_0000); // subnormal and low normal halves
                default -> (random.nextInt(0x4780_0000 >>> 13) << 13) | 0x1000; // exact ties
            };
            floats.putInt(bits);
        }
        Path in = Files.write(dir.resolve("in.f32"), floats.array());
        Path out = dir.resolve("out.f16");
        ExternalTool.run(dir, "/usr/bin/python3", "-c",
                "import numpy as np, sys; np.fromfile(sys.argv[1], '<f4').astype('<f2').tofile(sys.argv[2])",
                in.toString(), out.toString());
        ByteBuffer halves = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(count * 2, halves.capacity());
        floats.flip();
        for (int i = 0; i < count; i++) {
            float value = floats.getFloat();
            short expected = halves.getShort();
            short actual = Float16.fromFloat(value);
            if (Float.isNaN(value)) {
                assertTrue(Float.isNaN(Float16.toFloat(actual)));
            } else {
                assertEquals(expected, actual, "0x" + Integer.toHexString(Float.floatToRawIntBits(value)));
            }
        }
    }
}
