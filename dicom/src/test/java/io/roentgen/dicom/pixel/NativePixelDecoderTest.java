package io.roentgen.dicom.pixel;

import io.roentgen.dicom.ImageDescriptor;

import io.roentgen.dicom.DicomException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Synthetic pixel data, packed here independently of the decoder, with garbage around the values. */
class NativePixelDecoderTest {

    /**
     * Packs frames of interleaved sample values into native Pixel Data: values in bits
     * highBit-bitsStored+1..highBit, random garbage in every other bit of the cell, planes when
     * planar, 1-bit cells packed least significant bit first across frames, and for big endian
     * the whole value as big endian 16-bit words.
     */
    static byte[] pack(List<int[]> frames, ImageDescriptor d, ByteOrder order, Random garbage) {
        int ba = d.bitsAllocated();
        int lo = d.highBit() - d.bitsStored() + 1;
        long valueMask = (d.bitsStored() == 64 ? -1L : (1L << d.bitsStored()) - 1);
        long cellMask = ba == 32 ? 0xFFFFFFFFL : (1L << ba) - 1;
        List<Long> cells = new ArrayList<>();
        int pixels = d.rows() * d.columns();
        int spp = d.samplesPerPixel();
        for (int[] f : frames) {
            for (int k = 0; k < f.length; k++) {
                int idx = k;
                if (spp == 3 && d.planarConfiguration() == 1) {
                    int plane = k / pixels;
                    int pixel = k % pixels;
                    idx = pixel * 3 + plane;
                }
                long v = (f[idx] & valueMask) << lo;
                long g = garbage.nextLong() & cellMask & ~(valueMask << lo);
                cells.add(v | g);
            }
        }
        byte[] le;
        if (ba == 1) {
            le = new byte[(cells.size() + 7) / 8];
            for (int i = 0; i < cells.size(); i++) {
                if (cells.get(i) != 0) {
                    le[i / 8] |= (byte) (1 << (i % 8));
                }
            }
        } else {
            int w = ba / 8;
            le = new byte[cells.size() * w];
            for (int i = 0; i < cells.size(); i++) {
                for (int b = 0; b < w; b++) {
                    le[i * w + b] = (byte) (cells.get(i) >>> (8 * b));
                }
            }
        }
        if (le.length % 2 == 1) {
            byte[] padded = new byte[le.length + 1];
            System.arraycopy(le, 0, padded, 0, le.length);
            le = padded;
        }
        if (order == ByteOrder.BIG_ENDIAN) {
            for (int i = 0; i < le.length; i += 2) {
                byte t = le[i];
                le[i] = le[i + 1];
                le[i + 1] = t;
            }
        }
        return le;
    }

    /**
     * Decodes from the array and from a read-only direct buffer holding the same bytes (what a
     * mapped file gives), checks both give the same frame, and returns it.
     */
    static Frame decodeBothWays(byte[] data, ByteOrder order, ImageDescriptor d, int frameIndex) throws DicomException {
        Frame fromArray = NativePixelDecoder.decodeFrame(data, 0, data.length, order, d, frameIndex);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 3);
        direct.put(new byte[] {7, 7, 7}).put(data).position(3); // the value need not start at 0
        Frame fromBuffer = NativePixelDecoder.decodeFrame(direct.asReadOnlyBuffer(), order, d, frameIndex);
        assertTrue(fromArray.sameValues(fromBuffer), d + " " + order + " frame " + frameIndex + " from a direct buffer");
        assertEquals(fromArray.shortSamples() != null, fromBuffer.shortSamples() != null);
        Frame fromHeapBuffer = NativePixelDecoder.decodeFrame(ByteBuffer.wrap(data), order, d, frameIndex);
        assertTrue(fromArray.sameValues(fromHeapBuffer), d + " " + order + " frame " + frameIndex + " from a heap buffer");
        return fromArray;
    }

    static int[] randomValues(int n, int bitsStored, boolean signed, Random r) {
        long min = signed ? -(1L << (bitsStored - 1)) : 0;
        long max = signed ? (1L << (bitsStored - 1)) - 1 : (1L << bitsStored) - 1;
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            long x = switch (i) {
                case 0 -> min;
                case 1 -> max;
                case 2 -> signed ? -1 : 1;
                default -> min + (long) (r.nextDouble() * (max - min + 1));
            };
            v[i] = (int) Math.min(max, x);
        }
        return v;
    }

    @Test
    void everyBitsAllocatedStoredHighBitSignPlanarAndByteOrderCombination() throws DicomException {
        Random r = new Random(42);
        int checked = 0;
        for (int ba : new int[] {8, 16, 32}) {
            TreeSet<Integer> storedSet = new TreeSet<>(List.of(1, 2, ba / 2 + 1, ba - 1, ba));
            for (int bs : storedSet) {
                TreeSet<Integer> highSet = new TreeSet<>(List.of(bs - 1, ba - 1, (bs - 1 + ba - 1) / 2));
                for (int hb : highSet) {
                    for (boolean signed : new boolean[] {false, true}) {
                        for (int spp : new int[] {1, 3}) {
                            for (int planar : spp == 1 ? new int[] {0} : new int[] {0, 1}) {
                                for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                                    // 3x5: frames of odd byte size for 8 bits, so frame 1 starts mid-word
                                    ImageDescriptor d = new ImageDescriptor(3, 5, spp, ba, bs, hb, signed, planar,
                                            spp == 1 ? "MONOCHROME2" : "RGB", 2);
                                    List<int[]> frames = List.of(randomValues(15 * spp, bs, signed, r),
                                            randomValues(15 * spp, bs, signed, r));
                                    byte[] data = pack(frames, d, order, r);
                                    String what = d + " " + order;
                                    for (int f = 0; f < 2; f++) {
                                        Frame frame = decodeBothWays(data, order, d, f);
                                        int[] expected = frames.get(f);
                                        assertArrayEquals(expected, frame.samples(), what + " frame " + f);
                                        for (int i = 0; i < expected.length; i++) {
                                            assertEquals(expected[i], frame.sample(i), what + " frame " + f + " sample " + i);
                                        }
                                        assertEquals(ba == 16 && planar == 0, frame.shortSamples() != null, what);
                                        assertEquals(bs, frame.bitsStored());
                                        assertEquals(ba, frame.bitsAllocated());
                                        assertEquals(signed, frame.signed());
                                        checked++;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue(checked > 500, "checked " + checked);
    }

    @Test
    void oneBitFramesArePackedBackToBackAndMayStartMidByte() throws DicomException {
        Random r = new Random(7);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            ImageDescriptor d = new ImageDescriptor(3, 5, 1, 1, 1, 0, false, 0, "MONOCHROME2", 3);
            List<int[]> frames = List.of(randomValues(15, 1, false, r), randomValues(15, 1, false, r),
                    randomValues(15, 1, false, r));
            byte[] data = pack(frames, d, order, r);
            assertEquals(6, data.length, "45 bits in 6 bytes");
            for (int f = 0; f < 3; f++) {
                Frame frame = decodeBothWays(data, order, d, f);
                assertArrayEquals(frames.get(f), frame.samples(), order + " frame " + f);
            }
        }
        // bit 0 of the first byte is the first pixel
        ImageDescriptor one = new ImageDescriptor(1, 8, 1, 1, 1, 0, false, 0, "MONOCHROME2", 1);
        Frame f = NativePixelDecoder.decodeFrame(new byte[] {(byte) 0b1000_0101, 0}, 0, 2, ByteOrder.LITTLE_ENDIAN,
                one, 0);
        assertArrayEquals(new int[] {1, 0, 1, 0, 0, 0, 0, 1}, f.samples());
    }

    @Test
    void bigEndianThirtyTwoBitIsTwoBigEndianWordsLowWordFirst() throws DicomException {
        ImageDescriptor d = new ImageDescriptor(1, 1, 1, 32, 32, 31, false, 0, "MONOCHROME2", 1);
        byte[] asDcmtkWritesIt = {0x02, 0x01, 0x04, 0x03};
        Frame f = NativePixelDecoder.decodeFrame(asDcmtkWritesIt, 0, 4, ByteOrder.BIG_ENDIAN, d, 0);
        assertEquals(0x04030201, f.samples()[0]);
        Frame le = NativePixelDecoder.decodeFrame(new byte[] {1, 2, 3, 4}, 0, 4, ByteOrder.LITTLE_ENDIAN, d, 0);
        assertEquals(0x04030201, le.samples()[0]);
    }

    @Test
    void unsignedThirtyTwoBitKeepsItsBitPattern() throws DicomException {
        ImageDescriptor d = new ImageDescriptor(1, 2, 1, 32, 32, 31, false, 0, "MONOCHROME2", 1);
        byte[] data = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, (byte) 0x80};
        Frame f = decodeBothWays(data, ByteOrder.LITTLE_ENDIAN, d, 0);
        assertTrue(f.isUnsigned32());
        assertEquals(4294967295L, f.sampleAsLong(0));
        assertEquals(2147483648L, f.sampleAsLong(1));
    }

    @Test
    void ybr422PairsShareTheirChroma() throws DicomException {
        for (int ba : new int[] {8, 16}) {
            ImageDescriptor d = new ImageDescriptor(2, 4, 3, ba, ba, ba - 1, false, 0, "YBR_FULL_422", 2);
            // per frame: 2 rows x 2 pairs x (Y0 Y1 Cb Cr)
            int[] cells = new int[32];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = i * 3 + 1;
            }
            byte[] data = new byte[cells.length * ba / 8];
            for (int i = 0; i < cells.length; i++) {
                if (ba == 8) {
                    data[i] = (byte) cells[i];
                } else {
                    data[2 * i] = (byte) cells[i];
                    data[2 * i + 1] = (byte) (cells[i] >> 8);
                }
            }
            assertEquals(data.length, NativePixelDecoder.expectedBytes(d));
            for (int fr = 0; fr < 2; fr++) {
                Frame f = decodeBothWays(data, ByteOrder.LITTLE_ENDIAN, d, fr);
                assertEquals("YBR_FULL_422", f.photometric());
                int[] s = f.samples();
                assertEquals(24, s.length);
                for (int pair = 0; pair < 4; pair++) {
                    int c = fr * 16 + pair * 4;
                    int[] expected = {cells[c], cells[c + 2], cells[c + 3], cells[c + 1], cells[c + 2], cells[c + 3]};
                    int[] actual = java.util.Arrays.copyOfRange(s, pair * 6, pair * 6 + 6);
                    assertArrayEquals(expected, actual, ba + "-bit pair " + pair + " frame " + fr);
                }
            }
        }
        ImageDescriptor odd = new ImageDescriptor(2, 3, 3, 8, 8, 7, false, 0, "YBR_FULL_422", 1);
        DicomException e = assertThrows(DicomException.class, () -> NativePixelDecoder.decodeFrame(new byte[100], 0, 100,
                ByteOrder.LITTLE_ENDIAN, odd, 0));
        assertTrue(e.getMessage().contains("even"), e.getMessage());
    }

    @Test
    void decompressedYbr422IsFullResolution() throws DicomException {
        ImageDescriptor d = new ImageDescriptor(1, 2, 3, 8, 8, 7, false, 1, "YBR_FULL_422", 5);
        byte[] nativeBytes = {10, 20, 30, 40, 50, 60};
        Frame f = NativePixelDecoder.decodeDecompressedFrame(nativeBytes, d);
        assertArrayEquals(new int[] {10, 20, 30, 40, 50, 60}, f.samples());
        assertThrows(DicomException.class, () -> NativePixelDecoder.decodeDecompressedFrame(new byte[5], d));
    }

    @Test
    void decodeAtAnOffsetInsideALargerBuffer() throws DicomException {
        ImageDescriptor d = new ImageDescriptor(1, 3, 1, 16, 16, 15, false, 0, "MONOCHROME2", 1);
        byte[] buf = {9, 9, 9, 1, 0, 2, 0, 3, 0, 9};
        Frame f = NativePixelDecoder.decodeFrame(buf, 3, 6, ByteOrder.LITTLE_ENDIAN, d, 0);
        assertArrayEquals(new int[] {1, 2, 3}, f.samples());
    }

    @Test
    void aShortDirectBufferIsRefusedLikeAShortArray() {
        ImageDescriptor d = new ImageDescriptor(4, 4, 1, 16, 12, 11, false, 0, "MONOCHROME2", 2);
        ByteBuffer direct = ByteBuffer.allocateDirect(63);
        DicomException e = assertThrows(DicomException.class,
                () -> NativePixelDecoder.decodeFrame(direct, ByteOrder.LITTLE_ENDIAN, d, 1));
        assertTrue(e.getMessage().contains("64") && e.getMessage().contains("63"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NativePixelDecoder.decodeFrame(ByteBuffer.allocateDirect(64), ByteOrder.LITTLE_ENDIAN, d, 2));
    }

    @Test
    void shortPixelDataNamesExpectedAndActualBytes() {
        ImageDescriptor d = new ImageDescriptor(4, 4, 1, 16, 12, 11, false, 0, "MONOCHROME2", 3);
        DicomException e = assertThrows(DicomException.class,
                () -> NativePixelDecoder.decodeFrame(new byte[95], 0, 95, ByteOrder.LITTLE_ENDIAN, d, 0));
        assertTrue(e.getMessage().contains("96") && e.getMessage().contains("95"), e.getMessage());
        // big endian OW of an odd count of 8-bit samples needs the pad byte of its last word
        ImageDescriptor odd = new ImageDescriptor(3, 3, 1, 8, 8, 7, false, 0, "MONOCHROME2", 1);
        assertThrows(DicomException.class,
                () -> NativePixelDecoder.decodeFrame(new byte[9], 0, 9, ByteOrder.BIG_ENDIAN, odd, 0));
    }

    @Test
    void hostileGeometryIsRefusedWithoutAllocating() {
        byte[] small = new byte[16];
        List<ImageDescriptor> hostile = List.of(
                new ImageDescriptor(65535, 65535, 1, 16, 16, 15, false, 0, "MONOCHROME2", 1),
                new ImageDescriptor(65535, 65535, 3, 32, 32, 31, false, 0, "RGB", 65535),
                new ImageDescriptor(65535, 65535, 1, 1, 1, 0, false, 0, "MONOCHROME2", Integer.MAX_VALUE),
                new ImageDescriptor(65535, 32767, 1, 32, 32, 31, false, 0, "MONOCHROME2", Integer.MAX_VALUE),
                new ImageDescriptor(0, 4, 1, 8, 8, 7, false, 0, "MONOCHROME2", 1),
                new ImageDescriptor(-1, 4, 1, 8, 8, 7, false, 0, "MONOCHROME2", 1),
                new ImageDescriptor(70000, 4, 1, 8, 8, 7, false, 0, "MONOCHROME2", 1),
                new ImageDescriptor(2, 2, 1, 12, 12, 11, false, 0, "MONOCHROME2", 1),
                new ImageDescriptor(2, 2, 1, 16, 17, 16, false, 0, "MONOCHROME2", 1),
                new ImageDescriptor(2, 2, 1, 16, 12, 16, false, 0, "MONOCHROME2", 1),
                new ImageDescriptor(2, 2, 1, 16, 12, 10, false, 0, "MONOCHROME2", 1),
                new ImageDescriptor(2, 2, 1, 16, 0, 15, false, 0, "MONOCHROME2", 1),
                new ImageDescriptor(2, 2, 2, 8, 8, 7, false, 0, "MONOCHROME2", 1),
                new ImageDescriptor(2, 2, 3, 8, 8, 7, false, 0, "MONOCHROME2", 1),
                new ImageDescriptor(2, 2, 1, 8, 8, 7, false, 0, "RGB", 1),
                new ImageDescriptor(2, 2, 3, 8, 8, 7, false, 2, "RGB", 1),
                new ImageDescriptor(2, 2, 3, 1, 1, 0, false, 0, "RGB", 1),
                new ImageDescriptor(2, 2, 1, 8, 8, 7, false, 0, "MONOCHROME2", 0));
        for (ImageDescriptor d : hostile) {
            assertThrows(DicomException.class,
                    () -> NativePixelDecoder.decodeFrame(small, 0, small.length, ByteOrder.LITTLE_ENDIAN, d, 0),
                    d::toString);
        }
        DicomException e = assertThrows(DicomException.class, () -> NativePixelDecoder.decodeFrame(small, 0, 16,
                ByteOrder.LITTLE_ENDIAN, new ImageDescriptor(65535, 65535, 3, 32, 32, 31, false, 0, "RGB", 1), 0));
        assertTrue(e.getMessage().contains("larger"), e.getMessage());
    }

    @Test
    void callerMistakesAreIllegalArguments() {
        ImageDescriptor d = new ImageDescriptor(2, 2, 1, 8, 8, 7, false, 0, "MONOCHROME2", 2);
        byte[] data = new byte[8];
        assertThrows(IllegalArgumentException.class,
                () -> NativePixelDecoder.decodeFrame(data, 0, 8, ByteOrder.LITTLE_ENDIAN, d, 2));
        assertThrows(IllegalArgumentException.class,
                () -> NativePixelDecoder.decodeFrame(data, 0, 8, ByteOrder.LITTLE_ENDIAN, d, -1));
        assertThrows(IllegalArgumentException.class,
                () -> NativePixelDecoder.decodeFrame(data, 4, 8, ByteOrder.LITTLE_ENDIAN, d, 0));
        assertThrows(IllegalArgumentException.class,
                () -> NativePixelDecoder.decodeFrame(data, -1, 4, ByteOrder.LITTLE_ENDIAN, d, 0));
    }

    @Test
    void expectedBytesAndValidate() throws DicomException {
        assertEquals(2L * 3 * 4 * 3 * 2, NativePixelDecoder.expectedBytes(
                new ImageDescriptor(3, 4, 3, 16, 12, 11, false, 1, "RGB", 2)));
        assertEquals(6, NativePixelDecoder.expectedBytes(
                new ImageDescriptor(3, 5, 1, 1, 1, 0, false, 0, "MONOCHROME2", 3)));
        NativePixelDecoder.validate(new ImageDescriptor(3, 5, 1, 16, 12, 15, true, 0, "MONOCHROME1", 1));
        assertThrows(DicomException.class, () -> NativePixelDecoder.validate(
                new ImageDescriptor(3, 5, 1, 16, 12, 15, true, 0, "MONOCHROME1", 0)));
    }

    @Test
    void photometricIsNormalisedAndDescriptorHelpersKeepTheRest() throws DicomException {
        ImageDescriptor d = new ImageDescriptor(1, 1, 1, 8, 8, 7, false, 0, " monochrome1 ", 1);
        Frame f = NativePixelDecoder.decodeFrame(new byte[] {5, 0}, 0, 2, ByteOrder.LITTLE_ENDIAN, d, 0);
        assertEquals("MONOCHROME1", f.photometric());
        ImageDescriptor rgb = new ImageDescriptor(2, 3, 3, 8, 8, 7, false, 1, "YBR_FULL_422", 4);
        assertEquals(new ImageDescriptor(2, 3, 3, 8, 8, 7, false, 0, "RGB", 4),
                rgb.withPhotometric("RGB").withPlanarConfiguration(0));
        assertEquals(1, rgb.withFrames(1).frames());
    }
}
