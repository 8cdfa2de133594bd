package io.roentgen.dicom.codec.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.PixelDecoder;
import io.roentgen.dicom.codec.PixelDecoder.DecodedFrame;
import io.roentgen.dicom.codec.jpeg.JpegFixtures.Fixture;
import io.roentgen.dicom.ImageDescriptor;
import io.roentgen.dicom.testing.MinimumCount;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every fixture written by dcmtk's dcmcjpeg, GDCM's gdcmconv, libjpeg's cjpeg and the fixture
 * script's own encoders (all cross-checked there against dcmtk and GDCM):
 *
 * <ul>
 *   <li>lossless: byte for byte the source pixels (which dcmdjpeg and GDCM also reproduce);
 *   <li>lossy: identical to dcmdjpeg's decoding (the tolerance allowed is {@link #LOSSY_TOLERANCE},
 *       which is 0: same IDCT, upsampling and colour conversion as IJG 6b), with the
 *       photometric dcmdjpeg writes; and within {@link #LOSSY_TOLERANCE} of GDCM's decoding, compared
 *       without colour conversion where GDCM keeps YCbCr.
 * </ul>
 */
class JpegDecoderFixtureTest {
    /**
     * Largest |difference| from dcmdjpeg and GDCM allowed for lossy frames, 8- and 12-bit alike: none.
     * The decoder reproduces IJG 6b's arithmetic (dcmtk and GDCM both build on it), so any
     * difference is a bug, not rounding.
     */
    static final int LOSSY_TOLERANCE = 0;

    @TestFactory
    Stream<DynamicTest> decodesEveryFixture() {
        return MinimumCount.atLeast(JpegFixtures.COUNT, JpegFixtures.all(), "JPEG fixtures").stream()
                .map(f -> DynamicTest.dynamicTest(f.name(), () -> check(f)));
    }

    private static void check(Fixture f) throws DicomException {
        PixelDecoder decoder = JpegFixtures.DECODERS.get(f.ts());
        assertTrue(decoder.transferSyntaxUids().contains(f.ts()), f.name());
        List<byte[]> streams = f.streams();
        assertEquals(f.frames(), streams.size());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        String photometric = null;
        for (byte[] s : streams) {
            DecodedFrame frame = decoder.decode(s, f.image());
            assertEquals(f.frameBytes(), frame.nativeBytes().length, f.name() + " frame size");
            all.writeBytes(frame.nativeBytes());
            photometric = frame.photometric();
        }
        byte[] ours = all.toByteArray();
        int bps = f.image().bitsAllocated() / 8;
        if (f.exact()) {
            assertArrayEquals(f.sourcePixels(), ours, f.name() + ": lossless decoding differs from the source");
            assertEquals(f.image().photometric(), photometric, f.name());
            return;
        }
        byte[] dcmtk = f.dcmtkPixels();
        assertEquals(dcmtk.length, ours.length, f.name());
        int dDcmtk = JpegFixtures.maxDiff(ours, 0, dcmtk, 0, ours.length, bps);
        assertTrue(dDcmtk <= LOSSY_TOLERANCE, f.name() + ": max |diff| from dcmdjpeg " + dDcmtk);
        if (f.lossless()) {
            // Point transform: the low bits are gone, dcmdjpeg's decoding is the reference, exactly.
            assertEquals(0, dDcmtk, f.name());
        }
        assertEquals(f.dcmtkPhotometric(), photometric, f.name() + " photometric");

        byte[] gdcm = f.gdcmPixels();
        if (gdcm != null) {
            byte[] cmp = ours;
            if (f.gdcmPhotometric().startsWith("YBR") && "RGB".equals(photometric)) {
                cmp = decodeWithoutColourConversion(f, streams);
            }
            int dGdcm = JpegFixtures.maxDiff(cmp, 0, gdcm, 0, cmp.length, bps);
            assertTrue(dGdcm <= LOSSY_TOLERANCE, f.name() + ": max |diff| from GDCM " + dGdcm);
        }
    }

    private static byte[] decodeWithoutColourConversion(Fixture f, List<byte[]> streams) throws DicomException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] s : streams) {
            DecodedFrame frame = new JpegFrameDecoder(s, f.image(), false).decode();
            assertEquals("YBR_FULL", frame.photometric(), f.name());
            all.writeBytes(frame.nativeBytes());
        }
        return all.toByteArray();
    }

    @Test
    void gdcmSixteenBitLossyIsRefusedCleanly() {
        // GDCM writes 12-bit stored lossy data as SOF1 with precision 16: not valid T.81, dcmtk refuses it too.
        byte[] stream = io.roentgen.dicom.testing.EncapsulatedFrames
                .frames(JpegFixtures.bytes("bad_gd_g12_p16.dcm"), 1).get(0);
        ImageDescriptor image = new ImageDescriptor(96, 128, 1, 16, 12, 11, false, 0, "MONOCHROME2", 1);
        DicomException e = assertThrows(DicomException.class, () -> new JpegExtendedDecoder().decode(stream, image));
        assertTrue(e.getMessage().contains("precision 16"), e.getMessage());
    }

    @Test
    void registryUids() {
        assertEquals(java.util.Set.of("1.2.840.10008.1.2.4.50"), new JpegBaselineDecoder().transferSyntaxUids());
        assertEquals(java.util.Set.of("1.2.840.10008.1.2.4.51"), new JpegExtendedDecoder().transferSyntaxUids());
        assertEquals(java.util.Set.of("1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70"),
                new JpegLosslessDecoder().transferSyntaxUids());
    }
}
