package io.roentgen.dicom.codec.jpeg;

import io.roentgen.dicom.codec.PixelDecoder;
import io.roentgen.dicom.ImageDescriptor;
import io.roentgen.dicom.testing.EncapsulatedFrames;
import io.roentgen.dicom.testing.MinimumCount;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The committed fixtures of make-jpeg-fixtures.sh, read from the test class path. */
final class JpegFixtures {
    static final String DIR = "/fixtures/jpeg/";

    private JpegFixtures() {}

    /** One manifest.tsv line. */
    record Fixture(String name, String source, boolean exact, String ts, int frames, ImageDescriptor image,
            String dcmtkPhotometric, String gdcmPhotometric) {

        List<byte[]> streams() {
            return EncapsulatedFrames.frames(bytes(name + ".dcm"), frames);
        }

        byte[] sourcePixels() {
            return bytes("src-" + source + ".raw");
        }

        byte[] dcmtkPixels() {
            return exact ? sourcePixels() : bytes(name + ".dcmtk.raw");
        }

        /** GDCM's decoding, or null where GDCM could not decode the fixture. */
        byte[] gdcmPixels() {
            if ("-".equals(gdcmPhotometric)) {
                return null;
            }
            return exact ? sourcePixels() : bytes(name + ".gdcm.raw");
        }

        boolean lossless() {
            return ts.equals(JpegLosslessDecoder.JPEG_LOSSLESS) || ts.equals(JpegLosslessDecoder.JPEG_LOSSLESS_SV1);
        }

        int frameBytes() {
            return (int) image.nativeFrameBytes();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final Map<String, PixelDecoder> DECODERS = Map.of(
            JpegBaselineDecoder.JPEG_BASELINE, new JpegBaselineDecoder(),
            JpegExtendedDecoder.JPEG_EXTENDED, new JpegExtendedDecoder(),
            JpegLosslessDecoder.JPEG_LOSSLESS, new JpegLosslessDecoder(),
            JpegLosslessDecoder.JPEG_LOSSLESS_SV1, new JpegLosslessDecoder());

    /** Lines of manifest.tsv: every test over the fixtures checks them all. */
    static final int COUNT = 54;

    static List<Fixture> all() {
        String text = new String(bytes("manifest.tsv"), StandardCharsets.UTF_8);
        List<Fixture> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split("\t");
            if (f.length < 16) {
                throw new IllegalStateException("manifest.tsv line " + (i + 1) + " has " + f.length + " of 16 fields");
            }
            int frames = Integer.parseInt(f[4]);
            ImageDescriptor image = new ImageDescriptor(Integer.parseInt(f[5]), Integer.parseInt(f[6]),
                    Integer.parseInt(f[7]), Integer.parseInt(f[8]), Integer.parseInt(f[9]), Integer.parseInt(f[10]),
                    f[11].equals("1"), Integer.parseInt(f[12]), f[13], frames);
            out.add(new Fixture(f[0], f[1], f[2].equals("1"), f[3], frames, image, f[14], f[15]));
        }
        return MinimumCount.atLeast(COUNT, out, "JPEG fixtures in " + DIR + "manifest.tsv");
    }

    static byte[] bytes(String name) {
        try (InputStream in = JpegFixtures.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name
                        + " (dicom/src/test/fixtures/make-jpeg-fixtures.sh writes it)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Largest absolute difference between two native sample arrays (1 or 2 bytes a sample, LE). */
    static int maxDiff(byte[] a, int aOff, byte[] b, int bOff, int length, int bytesPerSample) {
        int max = 0;
        if (bytesPerSample == 1) {
            for (int i = 0; i < length; i++) {
                max = Math.max(max, Math.abs((a[aOff + i] & 0xFF) - (b[bOff + i] & 0xFF)));
            }
        } else {
            for (int i = 0; i + 1 < length; i += 2) {
                int va = (a[aOff + i] & 0xFF) | (a[aOff + i + 1] & 0xFF) << 8;
                int vb = (b[bOff + i] & 0xFF) | (b[bOff + i + 1] & 0xFF) << 8;
                max = Math.max(max, Math.abs(va - vb));
            }
        }
        return max;
    }
}
