package io.roentgen.dicom.pixel;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.Uids;
import io.roentgen.dicom.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recycled frame arrays: a frame decoded into an array full of another image's values must equal
 * the freshly decoded frame, for every layout the toolkits' fixtures cover and for a file large
 * enough that its Pixel Data stays a view of the mapped file.
 */
class FramePoolTest {

    /** Frames of every dcmtk/GDCM-written pixel fixture, decoded into dirty recycled arrays. */
    @Test
    void pooledDecodingEqualsFreshDecodingForEveryFixture() throws Exception {
        List<Path> fixtures;
        try (Stream<Path> files = Files.list(fixture("pixel"))) {
            fixtures = files.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
        assertTrue(fixtures.size() >= 25, "fixtures found: " + fixtures.size());
        FramePool pool = new FramePool(FramePool.DEFAULT_MAX_BYTES);
        int pooledFrames = 0;
        for (Path file : fixtures) {
            DicomObject dicom = DicomReader.defaults().read(file);
            for (int f = 0; f < DicomPixels.frameCount(dicom); f++) {
                Frame fresh = DicomPixels.frame(dicom, f);
                if (fresh.shortSamples() != null) {
                    pool.release(dirty(fresh.shortSamples().length));
                    pooledFrames++;
                }
                Frame pooled = DicomPixels.frame(dicom, f, pool);
                assertTrue(fresh.sameValues(pooled), file.getFileName() + " frame " + f);
                pool.release(pooled);
            }
        }
        assertTrue(pooledFrames >= 5, "16-bit frames among the fixtures: " + pooledFrames);
    }

    /** A 512x512 file is read as a view of its mapping: the pooled path decodes from the buffer. */
    @Test
    void mappedFileDecodesIntoTheRecycledArray(@TempDir Path dir) throws Exception {
        Path a = write(dir.resolve("a.dcm"), 512, 1, true);
        Path b = write(dir.resolve("b.dcm"), 512, 2, false);
        FramePool pool = new FramePool(FramePool.DEFAULT_MAX_BYTES);
        Frame first = DicomPixels.frame(DicomReader.defaults().read(a), 0, pool);
        short[] array = first.shortSamples();
        pool.release(first);

        DicomObject second = DicomReader.defaults().read(b);
        assertTrue(!second.nativePixelData().hasArray(), "Pixel Data of a 512 KiB file is a view of the mapping");
        Frame pooled = DicomPixels.frame(second, 0, pool);
        assertSame(array, pooled.shortSamples(), "the released array is reused");
        assertTrue(DicomPixels.frame(second, 0).sameValues(pooled));
        assertEquals(-7, pooled.sample(0), "signed 12-bit value sign-extended in the recycled array");
    }

    @Test
    void holdsNoMoreThanItsLimitAndIgnoresIntFrames() {
        FramePool pool = new FramePool(3 * 2 * 100);
        for (int i = 0; i < 5; i++) {
            pool.release(Frame.ofShorts(10, 10, 1, 16, 12, false, "MONOCHROME2", new short[100]));
        }
        assertEquals(600, pool.pooledBytes());
        pool.release(new Frame(10, 10, 1, 8, 8, false, "MONOCHROME2", new int[100]));
        assertEquals(600, pool.pooledBytes());
        short[] taken = pool.apply(100);
        assertEquals(400, pool.pooledBytes());
        assertNotSame(taken, pool.apply(50), "another length is allocated, not carved");
        assertEquals(50, pool.apply(50).length);
        assertThrows(IllegalArgumentException.class, () -> new FramePool(-1));
    }

    private static Frame dirty(int length) {
        short[] garbage = new short[length];
        Arrays.fill(garbage, (short) 0x5A5A);
        return Frame.ofShorts(1, length, 1, 16, 16, false, "MONOCHROME2", garbage);
    }

    /** A 16-bit, 12-bit-stored image; the top nibble of every word holds junk the decoder must mask. */
    private static Path write(Path file, int size, long seed, boolean unsigned) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[size * size * 2];
        for (int i = 0; i < size * size; i++) {
            int value = i == 0 && !unsigned ? 0xFF9 : random.nextInt(4096);
            value |= random.nextInt(16) << 12;
            pixels[2 * i] = (byte) value;
            pixels[2 * i + 1] = (byte) (value >>> 8);
        }
        DicomObject d = new DicomObject()
                .putString(Tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2")
                .putString(Tag.SOPInstanceUID, Uids.generate())
                .putInts(Tag.SamplesPerPixel, 1)
                .putString(Tag.PhotometricInterpretation, "MONOCHROME2")
                .putInts(Tag.Rows, size)
                .putInts(Tag.Columns, size)
                .putInts(Tag.BitsAllocated, 16)
                .putInts(Tag.BitsStored, 12)
                .putInts(Tag.HighBit, 11)
                .putInts(Tag.PixelRepresentation, unsigned ? 0 : 1);
        d.putPixelData(VR.OW, pixels);
        DicomWriter.explicitLittleEndian().write(d, file);
        return file;
    }

    private static Path fixture(String relative) throws URISyntaxException {
        return Path.of(FramePoolTest.class.getResource("/fixtures/" + relative).toURI());
    }
}
