package io.roentgen.dicom.codec.jpeg2000;

import io.roentgen.dicom.ImageDescriptor;
import io.roentgen.dicom.testing.EncapsulatedFrames;
import io.roentgen.dicom.testing.MinimumCount;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** The files make-jpeg2000-fixtures.sh wrote (manifest.tsv). */
record J2kFixtures(String file, String source, ImageDescriptor image, boolean lossless, String decodedPhotometric) {

    static final String DIR = "/fixtures/jpeg2000/";

    static List<J2kFixtures> all() {
        List<J2kFixtures> cases = new ArrayList<>();
        for (String line : new String(resource("manifest.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            int stored = Integer.parseInt(f[6]);
            ImageDescriptor image = new ImageDescriptor(Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    Integer.parseInt(f[4]), Integer.parseInt(f[5]), stored, stored - 1, f[7].equals("1"), 0,
                    f[9], Integer.parseInt(f[8]));
            cases.add(new J2kFixtures(f[0], f[1], image, f[10].equals("1"), f[11]));
        }
        return MinimumCount.atLeast(18, cases, "JPEG 2000 fixtures in " + DIR + "manifest.tsv");
    }

    static List<J2kFixtures> losslessFiles() {
        return all().stream().filter(c -> c.lossless()).toList();
    }

    static List<J2kFixtures> lossyFiles() {
        return all().stream().filter(c -> !c.lossless()).toList();
    }

    List<byte[]> frames() {
        return EncapsulatedFrames.frames(resource(file + ".dcm"), image.frames());
    }

    /** The source pixels, all frames. */
    byte[] sourcePixels() {
        return gunzip(resource(source + ".raw.gz"));
    }

    /** GDCM's decoding of a lossy file, all frames (padded to even length). */
    byte[] gdcmPixels() {
        byte[] all = gunzip(resource(file + ".gdcm.raw.gz"));
        return Arrays.copyOf(all, (int) (image.nativeFrameBytes() * image.frames()));
    }

    @Override
    public String toString() {
        return file;
    }

    private static byte[] gunzip(byte[] gz) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = J2kFixtures.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + DIR + name + " (make-jpeg2000-fixtures.sh)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
