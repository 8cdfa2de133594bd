package io.roentgen.dicom.codec.rle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.ImageDescriptor;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Hand-made RLE frames: the header rules, PackBits edge cases and the error paths. */
class RleDecoderTest {

    private final RleDecoder decoder = new RleDecoder();

    static ImageDescriptor image(int rows, int cols, int samples, int bits) {
        return new ImageDescriptor(rows, cols, samples, bits, bits, bits - 1, false, 0,
                samples == 3 ? "RGB" : "MONOCHROME2", 1);
    }

    /** Header plus the given segments, offsets computed. */
    static byte[] frame(byte[]... segments) {
        ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(segments.length);
        int offset = 64;
        for (byte[] s : segments) {
            header.putInt(offset);
            offset += s.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        for (byte[] s : segments) {
            out.writeBytes(s);
        }
        return out.toByteArray();
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void advertisesRleLossless() {
        assertTrue(decoder.transferSyntaxUids().equals(Set.of("1.2.840.10008.1.2.5")));
    }

    @Test
    void literalReplicateAndNoOpRuns() throws Exception {
        // 2x4: literal 3 bytes, no-op (-128), replicate 5 x 0x7F
        byte[] seg = bytes(2, 1, 2, 3, -128, -4, 0x7F);
        byte[] out = decoder.decode(frame(seg), image(2, 4, 1, 8)).nativeBytes();
        assertArrayEquals(bytes(1, 2, 3, 0x7F, 0x7F, 0x7F, 0x7F, 0x7F), out);
    }

    @Test
    void sixteenBitIsMostSignificantSegmentFirstAndLittleEndianOut() throws Exception {
        byte[] msb = bytes(1, 0x12, 0x34);
        byte[] lsb = bytes(1, 0x56, 0x78);
        byte[] out = decoder.decode(frame(msb, lsb), image(1, 2, 1, 16)).nativeBytes();
        assertArrayEquals(bytes(0x56, 0x12, 0x78, 0x34), out);
    }

    @Test
    void rgbPlanesAreInterleaved() throws Exception {
        byte[] out = decoder.decode(frame(bytes(-1, 1), bytes(-1, 2), bytes(-1, 3)), image(1, 2, 3, 8)).nativeBytes();
        assertArrayEquals(bytes(1, 2, 3, 1, 2, 3), out);
    }

    @Test
    void thirtyTwoBitUsesFourSegmentsPerSample() throws Exception {
        byte[] out = decoder.decode(frame(bytes(0, 0x11), bytes(0, 0x22), bytes(0, 0x33), bytes(0, 0x44)),
                image(1, 1, 1, 32)).nativeBytes();
        assertArrayEquals(bytes(0x44, 0x33, 0x22, 0x11), out);
    }

    @Test
    void toleratesExtraOutputAndPadding() throws Exception {
        // replicate 10 bytes where 4 are needed, then padding
        byte[] out = decoder.decode(frame(bytes(-9, 5, 0, 9, 9)), image(2, 2, 1, 8)).nativeBytes();
        assertArrayEquals(bytes(5, 5, 5, 5), out);
    }

    @Test
    void shortSegmentIsAnError() {
        DicomException e = assertThrows(DicomException.class,
                () -> decoder.decode(frame(bytes(-2, 5)), image(2, 2, 1, 8)));
        assertTrue(e.getMessage().contains("decodes to 3 bytes"), e.getMessage());
    }

    @Test
    void literalCutByTheSegmentEndIsAnError() {
        assertThrows(DicomException.class, () -> decoder.decode(frame(bytes(3, 1, 2)), image(2, 2, 1, 8)));
    }

    @Test
    void wrongSegmentCountIsAnError() {
        assertThrows(DicomException.class,
                () -> decoder.decode(frame(bytes(-3, 1)), image(1, 4, 1, 16)));
        assertThrows(DicomException.class,
                () -> decoder.decode(frame(bytes(-3, 1), bytes(-3, 1)), image(1, 4, 1, 8)));
    }

    @Test
    void offsetsMustBeInsideAndIncreasing() {
        byte[] f = frame(bytes(-3, 1), bytes(-3, 2));
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        byte[] outside = f.clone();
        ByteBuffer.wrap(outside).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 1000);
        assertThrows(DicomException.class, () -> decoder.decode(outside, image(1, 4, 1, 16)));
        byte[] backwards = f.clone();
        ByteBuffer.wrap(backwards).order(ByteOrder.LITTLE_ENDIAN).putInt(8, b.getInt(4));
        assertThrows(DicomException.class, () -> decoder.decode(backwards, image(1, 4, 1, 16)));
        byte[] intoHeader = f.clone();
        ByteBuffer.wrap(intoHeader).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 10);
        assertThrows(DicomException.class, () -> decoder.decode(intoHeader, image(1, 4, 1, 16)));
        byte[] negative = f.clone();
        ByteBuffer.wrap(negative).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -4);
        assertThrows(DicomException.class, () -> decoder.decode(negative, image(1, 4, 1, 16)));
    }

    @Test
    void shortOrMissingHeaderIsAnError() {
        assertThrows(DicomException.class, () -> decoder.decode(new byte[10], image(1, 1, 1, 8)));
        assertThrows(DicomException.class, () -> decoder.decode(null, image(1, 1, 1, 8)));
        assertThrows(DicomException.class, () -> decoder.decode(new byte[64], image(1, 1, 1, 8)));
    }

    @Test
    void unsupportedImagesAreErrors() {
        byte[] f = frame(bytes(-3, 1));
        assertThrows(DicomException.class, () -> decoder.decode(f, image(1, 4, 1, 12)));
        assertThrows(DicomException.class, () -> decoder.decode(f, image(1, 4, 2, 8)));
        assertThrows(DicomException.class, () -> decoder.decode(f, image(0, 4, 1, 8)));
        assertThrows(DicomException.class, () -> decoder.decode(f, image(65535, 65535, 3, 32)));
        assertThrows(DicomException.class, () -> decoder.decode(f, null));
    }

    @Test
    void hugeDeclaredImageWithTinyStreamFailsWithoutHugeWork() {
        // 30000 x 30000 8-bit: the output is allocated (900 MB would be too much for a unit test),
        // so use a size the image justifies and check the shortfall is reported.
        assertThrows(DicomException.class, () -> decoder.decode(frame(bytes(-127, 1)), image(1000, 1000, 1, 8)));
    }
}
