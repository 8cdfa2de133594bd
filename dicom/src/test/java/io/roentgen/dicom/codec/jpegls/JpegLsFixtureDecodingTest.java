package io.roentgen.dicom.codec.jpegls;

import io.roentgen.dicom.codec.PixelDecoder.DecodedFrame;
import io.roentgen.dicom.ImageDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every dcmtk- and GDCM-written fixture: lossless ones decode to the source pixels byte for byte,
 * near-lossless ones to exactly what dcmdjpls decodes, and within NEAR of the source.
 */
class JpegLsFixtureDecodingTest {
    private final JpegLsDecoder decoder = new JpegLsDecoder();

    static List<JpegLsFixtures.Fixture> fixtures() {
        return JpegLsFixtures.all();
    }

    @Test
    void fixtureSetCoversTheBrief() {
        List<JpegLsFixtures.Fixture> all = fixtures();
        assertTrue(all.size() >= 40, "fixtures.tsv has " + all.size() + " fixtures");
        assertTrue(all.stream().anyMatch(f -> f.near() > 0 && f.encoder().startsWith("gdcm")));
        assertTrue(all.stream().anyMatch(f -> f.near() > 0 && f.encoder().startsWith("dcmcjpls")));
        assertTrue(all.stream().anyMatch(f -> f.image().frames() > 1));
        assertTrue(all.stream().anyMatch(f -> f.image().bitsStored() == 16));
        assertTrue(all.stream().anyMatch(f -> f.image().samplesPerPixel() == 3));
        assertTrue(all.stream().anyMatch(f -> f.image().bitsStored() == 2));
        assertTrue(all.stream().anyMatch(f -> f.file().endsWith(".jls") && f.near() > 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decodesExactly(JpegLsFixtures.Fixture fixture) throws Exception {
        ImageDescriptor image = fixture.image();
        List<byte[]> frames = fixture.frames();
        assertEquals(image.frames(), frames.size(), "frames in " + fixture.file());
        int frameBytes = (int) image.nativeFrameBytes();
        byte[] expected = fixture.referencePixels();
        byte[] source = fixture.sourcePixels();
        // odd-length pixel data carries one byte of padding
        assertEquals((long) frameBytes * image.frames() + 1 >> 1, expected.length + 1 >> 1, "reference size");
        for (int f = 0; f < frames.size(); f++) {
            DecodedFrame decoded = decoder.decode(frames.get(f), image);
            assertEquals(image.photometric(), decoded.photometric());
            byte[] actual = decoded.nativeBytes();
            assertEquals(frameBytes, actual.length, "decoded frame size");
            byte[] want = Arrays.copyOfRange(expected, f * frameBytes, (f + 1) * frameBytes);
            int mismatch = Arrays.mismatch(want, actual);
            if (mismatch >= 0) {
                fail(fixture + " frame " + f + ": first difference at byte " + mismatch + " of " + frameBytes
                        + " (sample " + mismatch / (image.bitsAllocated() / 8) + ")");
            }
            if (!fixture.lossless()) {
                byte[] src = Arrays.copyOfRange(source, f * frameBytes, (f + 1) * frameBytes);
                int worst = maxAbsDifference(src, actual, image.bitsAllocated());
                assertTrue(worst <= fixture.near(), fixture + ": error " + worst + " > NEAR " + fixture.near());
            }
        }
    }

    static int maxAbsDifference(byte[] a, byte[] b, int bitsAllocated) {
        int worst = 0;
        if (bitsAllocated == 8) {
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
            }
        } else {
            for (int i = 0; i + 1 < a.length; i += 2) {
                int va = (a[i] & 0xFF) | (a[i + 1] & 0xFF) << 8;
                int vb = (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
                worst = Math.max(worst, Math.abs(va - vb));
            }
        }
        return worst;
    }
}
