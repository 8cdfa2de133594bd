package io.roentgen.dicom.codec.jpegls;

import io.roentgen.dicom.ImageDescriptor;
import io.roentgen.dicom.testing.EncapsulatedFrames;
import io.roentgen.dicom.testing.MinimumCount;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The fixtures written by {@code dicom/src/test/fixtures/make-jpegls-fixtures.sh}, read from
 * {@code fixtures/jpegls/fixtures.tsv} on the test class path.
 */
final class JpegLsFixtures {
    static final String DIR = "/fixtures/jpegls/";

    private JpegLsFixtures() {}

    /** One compressed file and what it should decode to. */
    record Fixture(String file, String source, String reference, ImageDescriptor image, int near, String encoder) {
        boolean lossless() {
            return near == 0;
        }

        byte[] fileBytes() {
            return resource(file);
        }

        /** The frames' bit streams: from the DICOM file, or the bare JPEG-LS stream of a .jls. */
        List<byte[]> frames() {
            if (file.endsWith(".jls")) {
                return List.of(fileBytes());
            }
            return EncapsulatedFrames.frames(fileBytes(), image.frames());
        }

        byte[] sourcePixels() {
            return gunzip(resource(source));
        }

        byte[] referencePixels() {
            return reference == null ? sourcePixels() : gunzip(resource(reference));
        }

        @Override
        public String toString() {
            return file + " (" + encoder + ")";
        }
    }

    static List<Fixture> all() {
        String tsv = new String(resource("fixtures.tsv"), StandardCharsets.UTF_8);
        List<Fixture> fixtures = new ArrayList<>();
        for (String line : tsv.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            int rows = Integer.parseInt(f[3]);
            int columns = Integer.parseInt(f[4]);
            int samples = Integer.parseInt(f[5]);
            int bitsAllocated = Integer.parseInt(f[6]);
            int bitsStored = Integer.parseInt(f[7]);
            boolean signed = f[8].equals("1");
            int frames = Integer.parseInt(f[9]);
            ImageDescriptor image = new ImageDescriptor(rows, columns, samples, bitsAllocated, bitsStored,
                    bitsStored - 1, signed, 0, f[10], frames);
            fixtures.add(new Fixture(f[0], f[1], f[2].equals("-") ? null : f[2], image, Integer.parseInt(f[11]), f[12]));
        }
        return MinimumCount.atLeast(78, fixtures, "JPEG-LS fixtures in " + DIR + "fixtures.tsv");
    }

    static byte[] resource(String name) {
        try (InputStream in = JpegLsFixtures.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + DIR + name
                        + " (run dicom/src/test/fixtures/make-jpegls-fixtures.sh)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gunzip(byte[] gz) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
