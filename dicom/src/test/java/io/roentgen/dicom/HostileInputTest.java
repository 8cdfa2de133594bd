package io.roentgen.dicom;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Targeted hostile and sloppy inputs: each ends in a {@link DicomException} whose message says
 * what and where, in bounded memory and time, or parses when it is merely sloppy.
 */
class HostileInputTest {
    private static final java.time.Duration QUICK = java.time.Duration.ofSeconds(10);

    /** Builds explicit VR little endian bytes by hand. */
    static final class Ds {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Ds tag(int tag) {
            u16(tag >>> 16);
            u16(tag & 0xFFFF);
            return this;
        }

        Ds u16(int v) {
            out.write(v);
            out.write(v >>> 8);
            return this;
        }

        Ds u32(long v) {
            u16((int) (v & 0xFFFF));
            u16((int) (v >>> 16));
            return this;
        }

        /** An explicit VR header (long form for OB, OW, SQ, UN, UT, ...). */
        Ds header(int tag, String vr, long length) {
            tag(tag);
            out.write(vr.charAt(0));
            out.write(vr.charAt(1));
            VR v = VR.ofName(vr);
            if (v == null || v.hasLongLength()) {
                u16(0);
                u32(length);
            } else {
                u16((int) length);
            }
            return this;
        }

        Ds el(int tag, String vr, String value) {
            byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
            header(tag, vr, b.length);
            out.writeBytes(b);
            return this;
        }

        Ds implicitEl(int tag, long length, byte[] value) {
            tag(tag);
            u32(length);
            out.writeBytes(value);
            return this;
        }

        Ds item(long length) {
            tag(Tag.Item);
            return u32(length);
        }

        Ds itemEnd() {
            tag(Tag.ItemDelimitationItem);
            return u32(0);
        }

        Ds seqEnd() {
            tag(Tag.SequenceDelimitationItem);
            return u32(0);
        }

        Ds raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** A Part 10 file: preamble, DICM, meta with this transfer syntax, then {@code dataSet} as given. */
    static byte[] part10(String tsUid, byte[] dataSet) {
        Ds meta = new Ds().header(Tag.FileMetaInformationVersion, "OB", 2).raw(new byte[] {0, 1})
                .el(Tag.MediaStorageSOPClassUID, "UI", "1.2.840.10008.5.1.4.1.1.7\0")
                .el(Tag.MediaStorageSOPInstanceUID, "UI", "1.2.3.4\0")
                .el(Tag.TransferSyntaxUID, "UI", tsUid.length() % 2 == 1 ? tsUid + "\0" : tsUid);
        byte[] m = meta.bytes();
        Ds f = new Ds().raw(new byte[128]).raw("DICM".getBytes(StandardCharsets.US_ASCII))
                .header(Tag.FileMetaInformationGroupLength, "UL", 4).u32(m.length).raw(m).raw(dataSet);
        return f.bytes();
    }

    static final String EXPLICIT = "1.2.840.10008.1.2.1";
    static final String IMPLICIT = "1.2.840.10008.1.2";

    private static DicomException fails(byte[] file) {
        return fails(DicomReader.defaults(), file);
    }

    private static DicomException fails(DicomReader reader, byte[] file) {
        DicomException e = assertTimeoutPreemptively(QUICK, () -> assertThrows(DicomException.class, () -> reader.read(file)));
        assertFalse(e.getCause() instanceof RuntimeException, "an internal error leaked as: " + e);
        // the same from a stream, which must not allocate from the length fields either
        DicomException s = assertTimeoutPreemptively(QUICK,
                () -> assertThrows(DicomException.class, () -> reader.read(new ByteArrayInputStream(file))));
        assertFalse(s.getCause() instanceof RuntimeException, "an internal error leaked as: " + s);
        return e;
    }

    private static void assertMentions(DicomException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
        }
    }

    @Test
    void truncatedAtEveryLength() throws Exception {
        byte[] file = DicomWriter.explicitLittleEndian().toByteArray(RoundTripTest.richDataSet());
        int failures = 0;
        for (int n = 0; n < file.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(file, n);
            try {
                DicomReader.defaults().read(cut);
            } catch (DicomException e) {
                assertFalse(e.getCause() instanceof RuntimeException, n + ": " + e);
                assertTrue(e.getMessage().contains("offset") || e.getMessage().contains("DICM"), n + ": " + e.getMessage());
                failures++;
            }
        }
        assertTrue(failures > file.length / 2);
        DicomException e = fails(java.util.Arrays.copyOf(file, file.length - 3));
        assertMentions(e, "truncated", "(7FE0,0010) PixelData", "offset");
    }

    @Test
    void lengthsPastTheEndNegativeOrHuge() {
        for (long length : new long[] {0x7FFFFFF0L, 0x80000000L, 0xFFFFFFFEL, 1_000_000}) {
            byte[] file = part10(EXPLICIT, new Ds().el(Tag.Modality, "CS", "CT").header(0x00420011, "OB", length)
                    .raw(new byte[16]).bytes());
            DicomException e = fails(file);
            assertMentions(e, "(0042,0011)", "offset 2", "length " + length);
        }
        // short-form length past the end
        DicomException e = fails(part10(EXPLICIT, new Ds().header(Tag.PatientName, "PN", 0xFFFF).raw(new byte[10]).bytes()));
        assertMentions(e, "truncated", "(0010,0010)");
        // an element that runs past the end of its defined-length item
        byte[] inItem = new Ds().header(Tag.ReferencedImageSequence, "SQ", 8 + 10).item(10)
                .header(Tag.ReferencedSOPClassUID, "UI", 20).raw(new byte[20]).bytes();
        assertMentions(fails(part10(EXPLICIT, inItem)), "(0008,1150)", "runs past the end of its item");
        // an item longer than its sequence
        byte[] itemTooLong = new Ds().header(Tag.ReferencedImageSequence, "SQ", 16).item(100).raw(new byte[100]).bytes();
        assertMentions(fails(part10(EXPLICIT, itemTooLong)), "runs past the end of its sequence");
    }

    @Test
    void undefinedLengthWhereNotAllowed() {
        DicomException e = fails(part10(EXPLICIT, new Ds().header(0x00420011, "OB", 0xFFFFFFFFL).raw(new byte[32]).bytes()));
        assertMentions(e, "undefined length", "(0042,0011)", "offset");
        DicomException f = fails(part10(EXPLICIT, new Ds().header(Tag.PixelData, "OB", 0xFFFFFFFFL).item(0)
                .item(0xFFFFFFFFL).raw(new byte[20]).bytes()));
        assertMentions(f, "fragment", "undefined length");
    }

    @Test
    void undefinedLengthsThatNeverEnd() {
        byte[] seq = new Ds().header(Tag.ReferencedImageSequence, "SQ", 0xFFFFFFFFL).item(0xFFFFFFFFL)
                .el(Tag.ReferencedSOPClassUID, "UI", "1.2\0").bytes();
        assertMentions(fails(part10(EXPLICIT, seq)), "truncated", "Item Delimitation", "(0008,1140)");
        byte[] items = new Ds().header(Tag.ReferencedImageSequence, "SQ", 0xFFFFFFFFL).item(0).item(0).bytes();
        assertMentions(fails(part10(EXPLICIT, items)), "Sequence Delimitation", "(0008,1140)");
        byte[] pixels = new Ds().header(Tag.PixelData, "OB", 0xFFFFFFFFL).item(0).item(4).raw(new byte[4]).bytes();
        assertMentions(fails(part10(EXPLICIT, pixels)), "Sequence Delimitation", "(7FE0,0010)");
        // an undefined-length sequence inside a defined-length item must end inside it
        byte[] nested = new Ds().header(Tag.ReferencedImageSequence, "SQ", 8 + 12 + 8).item(12 + 8)
                .header(0x0040A730, "SQ", 0xFFFFFFFFL).item(0).bytes();
        assertMentions(fails(part10(EXPLICIT, nested)), "(0040,A730)");
    }

    @Test
    void deepNestingIsCappedWithoutStackOverflow() {
        int levels = 200_000;
        Ds d = new Ds();
        for (int i = 0; i < levels; i++) {
            d.header(0x0040A730, "SQ", 0xFFFFFFFFL).item(0xFFFFFFFFL);
        }
        DicomException e = fails(part10(EXPLICIT, d.bytes()));
        assertMentions(e, "nested deeper than 64", "(0040,A730)", "offset");
        // implicit VR, and UN of undefined length (CP-246) too
        Ds i = new Ds();
        for (int k = 0; k < levels; k++) {
            i.implicitEl(0x00091001, 0xFFFFFFFFL, new byte[0]).item(0xFFFFFFFFL);
        }
        assertMentions(fails(part10(IMPLICIT, i.bytes())), "nested deeper than 64");
        // 64 levels are fine
        Ds ok = new Ds();
        for (int k = 0; k < 63; k++) {
            ok.header(0x0040A730, "SQ", 0xFFFFFFFFL).item(0xFFFFFFFFL);
        }
        for (int k = 0; k < 63; k++) {
            ok.itemEnd().seqEnd();
        }
        assertTimeoutPreemptively(QUICK, () -> DicomReader.defaults().read(part10(EXPLICIT, ok.bytes())));
    }

    @Test
    void deflateBombsAreStopped() throws Exception {
        // 200 MiB of zeros in an OB value deflate to about 200 KiB: 1000:1.
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(9, true);
        byte[] header = new Ds().header(0x00420011, "OB", 200L << 20).bytes();
        deflater.setInput(header);
        byte[] buf = new byte[1 << 16];
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i <= 200; i++) {
            if (i == 200) {
                deflater.finish();
            } else {
                deflater.setInput(i == 0 ? concat(header, zeros) : zeros);
            }
            while (!deflater.needsInput() || deflater.finished() || i == 200 && !deflater.finished()) {
                int n = deflater.deflate(buf);
                compressed.write(buf, 0, n);
                if (n == 0 && (deflater.needsInput() || deflater.finished())) {
                    break;
                }
            }
        }
        deflater.end();
        byte[] file = part10("1.2.840.10008.1.2.1.99", compressed.toByteArray());
        assertTrue(file.length < 1 << 20, "compressed " + file.length);
        DicomException e = fails(file);
        assertMentions(e, "inflates more than 64 times", "deflate bomb");
        // a generous ratio still hits the absolute cap
        DicomReader capped = DicomReader.builder().maxInflateRatio(100_000).maxInflatedBytes(32L << 20).build();
        assertMentions(fails(capped, file), "limit of " + (32L << 20));
        // corrupt deflate data
        byte[] corrupt = part10("1.2.840.10008.1.2.1.99", new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4, 5, 6});
        assertMentions(fails(corrupt), "deflate");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void bogusVrs() {
        byte[] file = part10(EXPLICIT, new Ds().el(Tag.Modality, "CS", "CT").el(Tag.PatientName, "Z?", "AB").bytes());
        assertMentions(fails(file), "invalid VR", "0x5A3F", "(0010,0010)", "offset");
    }

    @Test
    void pixelDataShorterThanTheGeometry() throws Exception {
        DicomObject ds = new DicomObject().putString(Tag.SOPClassUID, "1.2").putString(Tag.SOPInstanceUID, "1.3")
                .putInts(Tag.Rows, 512).putInts(Tag.Columns, 512).putInts(Tag.BitsAllocated, 16)
                .putPixelData(VR.OW, new byte[100]);
        DicomObject back = DicomReader.defaults().read(DicomWriter.explicitLittleEndian().toByteArray(ds));
        ImageDescriptor image = back.imageDescriptor();
        DicomException e = assertThrows(DicomException.class, () -> back.nativePixelData().checkGeometry(image));
        assertMentions(e, "holds 100 bytes", "512 rows x 512 columns", "need 524288");
        assertThrows(DicomException.class, () -> back.nativePixelData().frame(0, image));
        // nonsense geometry is refused before anything is allocated
        back.putInts(Tag.BitsAllocated, 12);
        assertMentions(assertThrows(DicomException.class, back::imageDescriptor), "Bits Allocated", "12");
        back.putInts(Tag.BitsAllocated, 16).putInts(Tag.Rows, 0);
        assertMentions(assertThrows(DicomException.class, back::imageDescriptor), "Rows", "(0028,0010)");
    }

    @Test
    void streamsNeverAllocateFromLengthFields() {
        // A 4 GiB-1 value announced, 64 bytes sent: the stream buffer must stay small.
        byte[] file = part10(EXPLICIT, new Ds().header(0x00420011, "OB", 0xFFFFFFFEL).raw(new byte[64]).bytes());
        long before = usedMemory();
        for (int i = 0; i < 50; i++) {
            assertThrows(DicomException.class, () -> DicomReader.defaults().read(new ByteArrayInputStream(file)));
        }
        assertTrue(usedMemory() - before < 256L << 20, "memory grew by " + (usedMemory() - before));
        // An endless stream stops at the reader's size limit.
        InputStream endless = new InputStream() {
            final byte[] item = new Ds().item(0).bytes();
            long n;

            @Override
            public int read() {
                if (n < 132 + 200) {
                    byte[] head = part10(EXPLICIT, new Ds().header(Tag.ReferencedImageSequence, "SQ", 0xFFFFFFFFL).bytes());
                    if (n < head.length) {
                        return head[(int) n++] & 0xFF;
                    }
                }
                return item[(int) (n++ % 8)] & 0xFF;
            }
        };
        DicomReader limited = DicomReader.builder().maxBytes(4 << 20).maxItems(Integer.MAX_VALUE).build();
        DicomException e = assertTimeoutPreemptively(QUICK, () -> assertThrows(DicomException.class, () -> limited.read(endless)));
        assertTrue(e.getMessage().contains("limit") || e.getMessage().contains("item"), e.getMessage());
    }

    private static long usedMemory() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void itemCountIsCapped() {
        Ds d = new Ds().header(Tag.ReferencedImageSequence, "SQ", 0xFFFFFFFFL);
        for (int i = 0; i < 2000; i++) {
            d.item(0);
        }
        d.seqEnd();
        DicomReader reader = DicomReader.builder().maxItems(1000).build();
        assertMentions(fails(reader, part10(EXPLICIT, d.bytes())), "more than 1000 sequence items");
    }

    @Test
    void sloppyButReadableFiles() throws Exception {
        // odd lengths, undefined-length items in a defined-length sequence and the reverse,
        // a defined-length item ended by a delimiter anyway, trailing zero padding.
        byte[] inner = new Ds().el(Tag.CodeValue, "SH", "ABC").bytes(); // odd: 3 bytes, no padding
        Ds d = new Ds().el(Tag.Modality, "CS", "MR")
                .header(Tag.ReferencedImageSequence, "SQ", 8 + inner.length + 8)
                .item(0xFFFFFFFFL).raw(inner).itemEnd()
                .header(0x0040A730, "SQ", 0xFFFFFFFFL).item(inner.length).raw(inner).item(inner.length + 8).raw(inner).itemEnd()
                .seqEnd()
                .el(Tag.PatientName, "PN", "Odd^Len") // 7 bytes
                .raw(new byte[6]);
        DicomObject ds = DicomReader.defaults().read(part10(EXPLICIT, d.bytes()));
        assertEquals("ABC", ds.getSequence(Tag.ReferencedImageSequence).get(0).getString(Tag.CodeValue));
        assertEquals(2, ds.getSequence(0x0040A730).size());
        assertEquals("ABC", ds.getSequence(0x0040A730).get(1).getString(Tag.CodeValue));
        assertEquals("Odd^Len", ds.getString(Tag.PatientName));

        // A file that says explicit VR but is implicit, and a UN of undefined length (CP-246).
        Ds implicit = new Ds().implicitEl(Tag.Modality, 2, "CT".getBytes(StandardCharsets.US_ASCII))
                .implicitEl(0x00091010, 0xFFFFFFFFL, new byte[0]).item(0xFFFFFFFFL)
                .implicitEl(Tag.CodeValue, 4, "XY  ".getBytes(StandardCharsets.US_ASCII)).itemEnd().seqEnd()
                .implicitEl(Tag.Rows, 2, new byte[] {0, 2});
        DicomObject mislabelled = DicomReader.defaults().read(part10(EXPLICIT, implicit.bytes()));
        assertEquals("CT", mislabelled.getString(Tag.Modality));
        assertEquals("XY", mislabelled.getSequence(0x00091010).get(0).getString(Tag.CodeValue));
        assertEquals(512, mislabelled.getInt(Tag.Rows, 0));
        assertEquals(VR.SQ, mislabelled.vr(0x00091010));

        // Elements out of order are sorted; explicit UN whose dictionary VR is known reads as that VR.
        Ds unordered = new Ds().el(Tag.PatientName, "PN", "B^A ").el(Tag.Modality, "CS", "CT")
                .header(Tag.Rows, "UN", 2).raw(new byte[] {0, 1});
        DicomObject sorted = DicomReader.defaults().read(part10(EXPLICIT, unordered.bytes()));
        assertArrayEquals(new int[] {Tag.Modality, Tag.PatientName, Tag.Rows}, sorted.tags());
        assertEquals(256, sorted.getInt(Tag.Rows, 0));
    }

    @Test
    void encapsulatedFramesThatDoNotAddUp() throws Exception {
        byte[] file = part10("1.2.840.10008.1.2.4.50", new Ds().el(Tag.NumberOfFrames, "IS", "3 ")
                .header(Tag.PixelData, "OB", 0xFFFFFFFFL).item(8).u32(0).u32(999) // offsets pointing nowhere
                .item(4).raw(new byte[] {1, 2, 3, 4}).item(4).raw(new byte[] {5, 6, 7, 8}).seqEnd().bytes());
        DicomObject ds = DicomReader.defaults().read(file);
        EncapsulatedPixelData e = ds.encapsulatedPixelData();
        assertEquals(2, e.fragmentCount());
        assertMentions(assertThrows(DicomException.class, () -> e.frames(3)), "2 fragments", "3 frames");
        assertMentions(assertThrows(DicomException.class, () -> e.frames(0)), "Number of Frames");
        assertEquals(1, e.frames(1).size());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, e.frames(1).get(0));
        assertEquals(2, e.frames(2).size()); // the bogus table is ignored: one fragment per frame
    }

    @Test
    void extendedOffsetTableSplitsFrames() throws Exception {
        Ds d = new Ds().el(Tag.NumberOfFrames, "IS", "2 ")
                .header(Tag.ExtendedOffsetTable, "OV", 16).u32(0).u32(0).u32(32).u32(0)
                .header(Tag.ExtendedOffsetTableLengths, "OV", 16).u32(10).u32(0).u32(4).u32(0)
                .header(Tag.PixelData, "OB", 0xFFFFFFFFL).item(0)
                .item(8).raw(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).item(8).raw(new byte[] {9, 10, 11, 12, 13, 14, 15, 16})
                .item(4).raw(new byte[] {17, 18, 19, 20}).seqEnd();
        DicomObject ds = DicomReader.defaults().read(part10("1.2.840.10008.1.2.4.201", d.bytes()));
        EncapsulatedPixelData e = ds.encapsulatedPixelData();
        assertArrayEquals(new long[] {0, 32}, e.extendedOffsetTable());
        var frames = e.frames(2);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, frames.get(0));
        assertArrayEquals(new byte[] {17, 18, 19, 20}, frames.get(1));
        assertEquals(TransferSyntax.HTJ2K_LOSSLESS, ds.transferSyntax());
    }

    @Test
    void unsupportedTransferSyntaxNamesTheUidAndName() {
        UnsupportedTransferSyntaxException e = TransferSyntax.of("1.2.840.10008.1.2.4.100").unsupported();
        assertMentions(e, "1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level");
        assertTrue(e instanceof DicomException);
        assertMentions(new UnsupportedTransferSyntaxException("1.2.3.4.5"), "1.2.3.4.5", "Unknown transfer syntax");
        assertNotNull(TransferSyntax.lookup("1.2.840.10008.1.2.4.203"));
    }
}
