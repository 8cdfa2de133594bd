package io.roentgen.dicom.codec.rle;

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

/** The cases make-rle-fixtures.sh wrote (manifest.tsv) and their files. */
record RleFixtures(String name, ImageDescriptor image, List<String> tools) {

    static final String DIR = "/fixtures/rle/";

    static List<RleFixtures> all() {
        List<RleFixtures> cases = new ArrayList<>();
        for (String line : new String(resource("manifest.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            int stored = Integer.parseInt(f[5]);
            ImageDescriptor image = new ImageDescriptor(Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), Integer.parseInt(f[4]), stored, stored - 1, f[6].equals("1"), 0,
                    f[8], Integer.parseInt(f[7]));
            cases.add(new RleFixtures(f[0], image, List.of(f[9].split(","))));
        }
        return MinimumCount.atLeast(11, cases, "RLE fixtures in " + DIR + "manifest.tsv");
    }

    /** All frames of the source, native. */
    byte[] source() {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(resource(name + ".raw.gz")))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] sourceFrame(int frame) {
        int size = (int) image.nativeFrameBytes();
        return java.util.Arrays.copyOfRange(source(), frame * size, (frame + 1) * size);
    }

    /** The compressed frames in the file the tool wrote. */
    List<byte[]> frames(String tool) {
        return EncapsulatedFrames.frames(resource(name + "." + tool + ".dcm"), image.frames());
    }

    @Override
    public String toString() {
        return name;
    }

    static byte[] resource(String file) {
        try (InputStream in = RleFixtures.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + DIR + file + " (make-rle-fixtures.sh)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
