package io.roentgen.dicom;

import io.roentgen.dicom.HostileInputTest.Ds;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import java.util.zip.Deflater;

import static io.roentgen.dicom.HostileInputTest.EXPLICIT;
import static io.roentgen.dicom.HostileInputTest.part10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each reader limit, met by input that only just passes it and refused by input one step past
 * it: a {@link DicomException} that names the limit, in bounded time and memory (an
 * OutOfMemoryError or a hang fails the test), never a partial data set.
 */
class LimitsTest {
    private static final Duration QUICK = Duration.ofSeconds(10);
    private static final String DEFLATED = "1.2.840.10008.1.2.1.99";
    private static final int CONTENT_SEQUENCE = Tag.of(0x0040, 0xA730);

    @Test
    void sequencesNestedPastMaxDepthAreRefused() throws Exception {
        DicomReader reader = DicomReader.builder().maxDepth(3).build();
        assertEquals(3, depth(reader.read(part10(EXPLICIT, nested(3)))));
        assertRefused(reader, part10(EXPLICIT, nested(4)), "nested deeper than 3 levels", "(0040,A730)");
    }

    @Test
    void itemsPastMaxItemsAreRefused() throws Exception {
        DicomReader reader = DicomReader.builder().maxItems(5).build();
        assertEquals(5, reader.read(part10(EXPLICIT, items(5))).getSequence(Tag.ReferencedImageSequence).size());
        assertRefused(reader, part10(EXPLICIT, items(6)), "more than 5 sequence items");
        // The count is per read, all levels together: 3 items of 1 nested item each are 6.
        byte[] withNested = item(sequence(CONTENT_SEQUENCE, item(new byte[0])));
        assertRefused(reader, part10(EXPLICIT, sequence(CONTENT_SEQUENCE, withNested, withNested, withNested)),
                "more than 5 sequence items");
    }

    @Test
    void inputPastMaxBytesIsRefusedFromArraysAndStreams() throws Exception {
        byte[] file = part10(EXPLICIT, new Ds().el(Tag.PatientID, "LO", "ANON01").bytes());
        DicomReader exact = DicomReader.builder().maxBytes(file.length).build();
        assertEquals("ANON01", exact.read(file).getString(Tag.PatientID));
        assertEquals("ANON01", exact.read(new ByteArrayInputStream(file)).getString(Tag.PatientID));
        DicomReader small = DicomReader.builder().maxBytes(file.length - 1).build();
        assertRefused(small, file, "larger than the reader's limit of " + (file.length - 1) + " bytes");
        DicomException e = assertThrows(DicomException.class, () -> small.read(new ByteArrayInputStream(file)));
        assertTrue(e.getMessage().contains("limit of " + (file.length - 1) + " bytes"), e.getMessage());
    }

    @Test
    void aValuePastMaxValueLengthIsRefusedBeforeItsBytesAreRead() throws Exception {
        DicomReader reader = DicomReader.builder().maxValueLength(1 << 20).build();
        // A header that claims 1 GiB of OB, on a stream that fails the test if the value is read.
        byte[] head = part10(EXPLICIT, new Ds().el(Tag.PatientID, "LO", "ANON01")
                .header(Tag.of(0x0009, 0x1010), "OB", 1L << 30).bytes());
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(head), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("the reader read the value it should have refused");
            }
        });
        DicomException e = assertTimeoutPreemptively(QUICK, () -> assertThrows(DicomException.class, () -> reader.read(in)));
        assertMentions(e, "(0009,1010)", "length 1073741824", "limit of 1048576 bytes (maxValueLength)");

        // Up to the limit it reads, and a fragment counts as a value.
        byte[] atLimit = part10(EXPLICIT, new Ds().header(Tag.of(0x0009, 0x1010), "OB", 1 << 20).raw(new byte[1 << 20]).bytes());
        assertEquals(1 << 20, reader.read(atLimit).getBytes(Tag.of(0x0009, 0x1010)).length);
        byte[] fragment = part10("1.2.840.10008.1.2.4.50", new Ds().header(Tag.PixelData, "OB", 0xFFFFFFFFL)
                .item(0).item((1 << 20) + 2).raw(new byte[(1 << 20) + 2]).seqEnd().bytes());
        assertRefused(reader, fragment, "(7FE0,0010)", "maxValueLength");
    }

    @Test
    void aDataSetInflatingPastMaxInflatedBytesIsRefused() throws Exception {
        byte[] dataSet = new Ds().el(Tag.PatientID, "LO", "ANON01").header(Tag.of(0x0009, 0x1010), "OB", 4096)
                .raw(new byte[4096]).bytes();
        byte[] file = part10(DEFLATED, deflate(dataSet));
        assertEquals("ANON01", DicomReader.builder().maxInflatedBytes(dataSet.length).build().read(file)
                .getString(Tag.PatientID));
        assertRefused(DicomReader.builder().maxInflatedBytes(1000).build(), file, "inflates past the reader's limit of 1000 bytes");
    }

    @Test
    void aDataSetInflatingPastMaxInflateRatioIsRefused() throws Exception {
        // 20 MiB of zeros: past the 16 MiB allowance, and about 1000:1.
        int zeros = 20 << 20;
        byte[] dataSet = concat(new Ds().header(Tag.of(0x0009, 0x1010), "OB", zeros).bytes(), new byte[zeros]);
        byte[] file = part10(DEFLATED, deflate(dataSet));
        assertRefused(DicomReader.builder().maxInflateRatio(64).build(), file, "inflates more than 64 times", "deflate bomb");
        assertEquals(zeros, DicomReader.builder().maxInflateRatio(10_000).build().read(file).valueLength(Tag.of(0x0009, 0x1010)));
    }

    @Test
    void limitsTravelAsOneRecord() {
        Limits limits = new Limits(7, 100, 1 << 20, 4096, 1 << 21, 8);
        DicomReader reader = DicomReader.builder().limits(limits).stopBeforePixelData(true).build();
        assertEquals(limits, reader.limits());
        assertEquals(limits, reader.toBuilder().build().limits());
        assertEquals(4096, reader.maxValueLength());
        assertEquals(Limits.DEFAULTS, DicomReader.defaults().limits());
        assertEquals(Limits.MAX_ARRAY, new Limits(1, 1, Long.MAX_VALUE, 0, 1, 1).maxBytes());
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, 1, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Limits(1, 1, 0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> DicomReader.builder().maxValueLength(-1));
    }

    // ------------------------------------------------------------------ helpers

    private static void assertRefused(DicomReader reader, byte[] file, String... parts) {
        DicomException e = assertTimeoutPreemptively(QUICK, () -> assertThrows(DicomException.class, () -> reader.read(file)));
        assertMentions(e, parts);
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "expected \"" + p + "\" in: " + e.getMessage());
        }
    }

    /** {@code levels} Content Sequences, each in an item of the one above. */
    private static byte[] nested(int levels) {
        byte[] inner = new Ds().el(Tag.PatientID, "LO", "ANON01").bytes();
        for (int k = 0; k < levels; k++) {
            inner = sequence(CONTENT_SEQUENCE, item(inner));
        }
        return inner;
    }

    private static int depth(DicomObject ds) {
        int d = 0;
        for (DicomObject o = ds; !o.getSequence(CONTENT_SEQUENCE).isEmpty(); o = o.getSequence(CONTENT_SEQUENCE).get(0)) {
            d++;
        }
        return d;
    }

    private static byte[] items(int n) {
        byte[][] items = new byte[n][];
        java.util.Arrays.fill(items, item(new byte[0]));
        return sequence(Tag.ReferencedImageSequence, items);
    }

    /** An undefined-length sequence of these items. */
    private static byte[] sequence(int tag, byte[]... items) {
        Ds ds = new Ds().header(tag, "SQ", 0xFFFFFFFFL);
        for (byte[] item : items) {
            ds.raw(item);
        }
        return ds.seqEnd().bytes();
    }

    /** An undefined-length item holding these elements. */
    private static byte[] item(byte[] elements) {
        return new Ds().item(0xFFFFFFFFL).raw(elements).itemEnd().bytes();
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(9, true);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
