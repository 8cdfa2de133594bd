package io.roentgen.dicom.codec.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.PixelDecoder.DecodedFrame;
import io.roentgen.dicom.codec.jpeg.JpegFixtures.Fixture;
import io.roentgen.dicom.ImageDescriptor;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The colour-conversion rule and the rarer markers (DNL, APP14), on variations of the fixtures. */
class JpegColourAndMarkerTest {

    private static Fixture fixture(String name) {
        return JpegFixtures.all().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    private static ImageDescriptor withPhotometric(ImageDescriptor d, String pi) {
        return new ImageDescriptor(d.rows(), d.columns(), d.samplesPerPixel(), d.bitsAllocated(), d.bitsStored(),
                d.highBit(), d.signed(), d.planarConfiguration(), pi, d.frames());
    }

    @Test
    void ybrPhotometricIsConvertedAndRgbIsNotAsDcmtkDoes() throws DicomException {
        // A JFIF YCbCr stream: converted when DICOM says YBR_FULL, kept as stored when DICOM says RGB
        // (dcmdjpeg and GDCM keep it too, see the gd_rgb fixture).
        Fixture f = fixture("b_rgb444");
        byte[] s = f.streams().get(0);
        DecodedFrame converted = new JpegBaselineDecoder().decode(s, f.image());
        assertEquals("RGB", converted.photometric());
        assertArrayEquals(f.dcmtkPixels(), converted.nativeBytes());
        DecodedFrame kept = new JpegBaselineDecoder().decode(s, withPhotometric(f.image(), "RGB"));
        assertEquals("RGB", kept.photometric());
        DecodedFrame raw = new JpegFrameDecoder(s, f.image(), false).decode();
        assertArrayEquals(raw.nativeBytes(), kept.nativeBytes());
        assertEquals("YBR_FULL", raw.photometric());
    }

    @Test
    void subsampledYbrKeptAsStoredIsReportedAsYbrFull() throws DicomException {
        Fixture f = fixture("b_rgb422");
        DecodedFrame raw = new JpegFrameDecoder(f.streams().get(0), f.image(), false).decode();
        assertEquals("YBR_FULL", raw.photometric()); // the output is no longer subsampled
        assertEquals(f.frameBytes(), raw.nativeBytes().length);
    }

    @Test
    void adobeMarkerTransformTakesPrecedenceOverPhotometric() throws DicomException {
        // dcmcjpeg +cr writes RGB components with an Adobe APP14 marker, transform 0.
        Fixture f = fixture("b_rgbraw");
        byte[] s = f.streams().get(0);
        DecodedFrame asRgb = new JpegBaselineDecoder().decode(s, f.image());
        DecodedFrame mislabelled = new JpegBaselineDecoder().decode(s, withPhotometric(f.image(), "YBR_FULL"));
        assertArrayEquals(asRgb.nativeBytes(), mislabelled.nativeBytes());
        assertEquals("YBR_FULL", mislabelled.photometric());
        // Transform flag set to 1 (YCbCr): converted even though DICOM says RGB.
        byte[] ycc = s.clone();
        int app14 = indexOf(ycc, new byte[] {(byte) 0xFF, (byte) 0xEE});
        ycc[app14 + 4 + 11] = 1;
        DecodedFrame converted = new JpegBaselineDecoder().decode(ycc, f.image());
        assertEquals("RGB", converted.photometric());
        assertTrue(!Arrays.equals(asRgb.nativeBytes(), converted.nativeBytes()));
    }

    @Test
    void heightFromDnlMarker() throws DicomException {
        Fixture f = fixture("b_g8");
        byte[] s = f.streams().get(0);
        int sof = indexOf(s, new byte[] {(byte) 0xFF, (byte) 0xC0});
        byte[] t = s.clone();
        t[sof + 5] = 0;
        t[sof + 6] = 0; // Y = 0: the number of lines comes in a DNL segment after the first scan
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(t, 0, t.length - 2);
        b.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xDC, 0, 4, 0, (byte) f.image().rows(), (byte) 0xFF, (byte) 0xD9});
        DecodedFrame frame = new JpegBaselineDecoder().decode(b.toByteArray(), f.image());
        assertArrayEquals(f.dcmtkPixels(), frame.nativeBytes());
    }

    @Test
    void mislabelledProcessStillDecodes() throws DicomException {
        // Transfer syntax labels are often wrong in the wild: the frame header decides.
        Fixture f = fixture("l_g12_sv3");
        DecodedFrame frame = new JpegBaselineDecoder().decode(f.streams().get(0), f.image());
        assertArrayEquals(f.sourcePixels(), frame.nativeBytes());
    }

    private static int indexOf(byte[] h, byte[] n) {
        outer:
        for (int i = 0; i <= h.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (h[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
