package io.roentgen.dicom.pixel;

import io.roentgen.dicom.DicomException;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColorConversionTest {

    private static Frame colour(String photometric, int bits, int... samples) {
        return new Frame(1, samples.length / 3, 3, bits <= 8 ? 8 : 16, bits, false, photometric, samples);
    }

    @Test
    void ybrFullFollowsPs33WithRoundingAndClamping() throws DicomException {
        Frame ybr = colour("YBR_FULL", 8, 128, 128, 128, 255, 128, 128, 0, 128, 128, 100, 50, 200, 255, 0, 255);
        int[] rgb = ColorConversion.toRgb(ybr, null).samples();
        assertArrayEquals(new int[] {128, 128, 128}, java.util.Arrays.copyOfRange(rgb, 0, 3));
        assertArrayEquals(new int[] {255, 255, 255}, java.util.Arrays.copyOfRange(rgb, 3, 6));
        assertArrayEquals(new int[] {0, 0, 0}, java.util.Arrays.copyOfRange(rgb, 6, 9));
        // Y=100 Cb=50 Cr=200: R = 100 + 1.402*72 = 200.944 -> 201; G = 100 + 0.344136*78 - 0.714136*72 = 75.423 -> 75;
        // B = 100 - 1.772*78 = -38.2 -> 0
        assertArrayEquals(new int[] {201, 75, 0}, java.util.Arrays.copyOfRange(rgb, 9, 12));
        // out of gamut both ways
        // Y=255 Cb=0 Cr=255: R = 255 + 178.05 -> clamped 255; G = 255 + 44.05 - 90.70 = 208.35; B = 255 - 226.82 = 28.18
        assertArrayEquals(new int[] {255, 208, 28}, java.util.Arrays.copyOfRange(rgb, 12, 15));
    }

    @Test
    void sixteenBitYbrCentresChromaOnHalfTheRange() throws DicomException {
        Frame ybr = colour("YBR_FULL", 12, 1000, 2048, 2048, 1000, 2048, 3048);
        int[] rgb = ColorConversion.toRgb(ybr, null).samples();
        assertArrayEquals(new int[] {1000, 1000, 1000}, java.util.Arrays.copyOfRange(rgb, 0, 3));
        assertEquals(Math.round(1000 + 1.402 * 1000), rgb[3]);
        assertEquals(12, ColorConversion.toRgb(ybr, null).bitsStored());
    }

    @Test
    void ybr422AndIctUseTheFullRangeMatrix() throws DicomException {
        Frame full = ColorConversion.toRgb(colour("YBR_FULL", 8, 90, 60, 200), null);
        assertArrayEquals(full.samples(), ColorConversion.toRgb(colour("YBR_FULL_422", 8, 90, 60, 200), null).samples());
        assertArrayEquals(full.samples(), ColorConversion.toRgb(colour("YBR_ICT", 8, 90, 60, 200), null).samples());
    }

    @Test
    void ybrPartialUsesTheStudioRange() throws DicomException {
        int[] rgb = ColorConversion.toRgb(colour("YBR_PARTIAL_422", 8, 16, 128, 128, 235, 128, 128), null).samples();
        assertArrayEquals(new int[] {0, 0, 0, 255, 255, 255}, rgb);
    }

    @Test
    void rgbIsKeptAsItIs() throws DicomException {
        Frame rgb = colour("RGB", 8, 1, 2, 3);
        assertSame(rgb, ColorConversion.toRgb(rgb, null));
    }

    @Test
    void paletteLooksUpAndClampsOutsideTheMappedRange() throws DicomException {
        PaletteLut red = new PaletteLut(3, 10, 16, new int[] {100, 200, 300});
        PaletteLut green = new PaletteLut(3, 10, 16, new int[] {1, 2, 3});
        PaletteLut blue = new PaletteLut(3, 10, 16, new int[] {65535, 0, 7});
        Frame idx = new Frame(1, 5, 1, 8, 8, false, "PALETTE COLOR", new int[] {0, 10, 11, 12, 255});
        PixelAttributes attrs = PixelAttributes.builder().palette(red, green, blue).build();
        Frame rgb = ColorConversion.toRgb(idx, attrs);
        assertArrayEquals(new int[] {100, 1, 65535, 100, 1, 65535, 200, 2, 0, 300, 3, 7, 300, 3, 7}, rgb.samples());
        assertEquals(16, rgb.bitsStored());
        assertEquals("RGB", rgb.photometric());
    }

    @Test
    void paletteLutFromAttributes() throws DicomException {
        // entries 0 means 65536
        byte[] words = new byte[65536 * 2];
        words[2 * 65535] = (byte) 0xAB;
        words[2 * 65535 + 1] = (byte) 0xCD;
        PaletteLut big = PaletteLut.fromAttributes("Red", new int[] {0, 0, 16}, words, ByteOrder.LITTLE_ENDIAN, false);
        assertEquals(65536, big.entries());
        assertEquals(0xCDAB, big.lookup(65535));
        // first mapped value is signed for signed pixels: 0xFF00 = -256
        PaletteLut signed = PaletteLut.fromAttributes("Red", new int[] {2, 0xFF00, 16}, new byte[] {1, 0, 2, 0},
                ByteOrder.LITTLE_ENDIAN, true);
        assertEquals(-256, signed.firstMapped());
        assertEquals(2, signed.lookup(-255));
        PaletteLut unsigned = PaletteLut.fromAttributes("Red", new int[] {2, -256, 16}, new byte[] {1, 0, 2, 0},
                ByteOrder.LITTLE_ENDIAN, false);
        assertEquals(0xFF00, unsigned.firstMapped());
        // big endian words
        PaletteLut be = PaletteLut.fromAttributes("Red", new int[] {2, 0, 16}, new byte[] {1, 2, 3, 4},
                ByteOrder.BIG_ENDIAN, false);
        assertArrayEquals(new int[] {0x0102, 0x0304}, be.values());
        // 8-bit entries, two per word (first in the low byte) or one per word
        PaletteLut packed = PaletteLut.fromAttributes("Red", new int[] {4, 0, 8}, new byte[] {1, 2, 3, 4},
                ByteOrder.LITTLE_ENDIAN, false);
        assertArrayEquals(new int[] {1, 2, 3, 4}, packed.values());
        PaletteLut perWord = PaletteLut.fromAttributes("Red", new int[] {2, 0, 8}, new byte[] {7, 0, 9, 0},
                ByteOrder.LITTLE_ENDIAN, false);
        assertArrayEquals(new int[] {7, 9}, perWord.values());
        assertEquals(8, perWord.bits());
        assertThrows(DicomException.class, () -> PaletteLut.fromAttributes("Red", new int[] {4, 0, 16},
                new byte[6], ByteOrder.LITTLE_ENDIAN, false));
        assertThrows(DicomException.class, () -> PaletteLut.fromAttributes("Red", new int[] {4, 0, 12},
                new byte[8], ByteOrder.LITTLE_ENDIAN, false));
        assertThrows(DicomException.class, () -> PaletteLut.fromAttributes("Red", new int[] {4, 0},
                new byte[8], ByteOrder.LITTLE_ENDIAN, false));
    }

    @Test
    void segmentedOrMissingPaletteIsRefusedClearly() {
        Frame idx = new Frame(1, 1, 1, 8, 8, false, "PALETTE COLOR", new int[] {0});
        PaletteLut lut = new PaletteLut(1, 0, 8, new int[] {5});
        DicomException seg = assertThrows(DicomException.class, () -> ColorConversion.toRgb(idx,
                PixelAttributes.builder().palette(lut, lut, lut).segmentedPalette(true).build()));
        assertTrue(seg.getMessage().contains("Segmented"), seg.getMessage());
        DicomException missing = assertThrows(DicomException.class, () -> ColorConversion.toRgb(idx,
                PixelAttributes.NONE));
        assertTrue(missing.getMessage().contains("PALETTE COLOR"), missing.getMessage());
        assertThrows(DicomException.class, () -> ColorConversion.toRgb(colour("CMYK", 8, 1, 2, 3), null));
    }
}
