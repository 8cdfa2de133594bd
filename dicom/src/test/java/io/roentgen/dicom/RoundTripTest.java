package io.roentgen.dicom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Roentgen's writer and reader agree for every syntax they share. */
class RoundTripTest {
    @TempDir
    Path tmp;

    static final int PRIVATE_CREATOR = 0x00090010;
    static final int PRIVATE_TEXT = 0x00091001;
    static final int PRIVATE_SEQUENCE = 0x00091003;

    /** A data set with every VR, multi-valued elements, nested sequences, private tags, Latin-1 text, 16-bit pixels. */
    static DicomObject richDataSet() {
        DicomObject ds = new DicomObject();
        ds.putString(Tag.SpecificCharacterSet, "ISO_IR 100");
        ds.putString(Tag.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.putString(Tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2");
        ds.putString(Tag.SOPInstanceUID, Uids.generate());
        ds.putString(Tag.StudyDate, "20240611");
        ds.putString(Tag.StudyTime, "101530.5");
        ds.putString(Tag.Modality, "CT");
        ds.putString(Tag.Manufacturer, "Röntgen");
        ds.putString(Tag.StudyDescription, "Thorax ñ é ß");
        ds.putString(0x00080119, VR.UC, "a long code value that may exceed sixty-four characters since UC is unlimited");
        ds.putString(Tag.PatientName, "Müller^Jürgen");
        ds.putString(Tag.PatientID, "PAT-7");
        ds.putString(Tag.PatientAge, VR.AS, "042Y");
        ds.putString(0x00080054, VR.AE, "ROENTGEN");
        ds.putString(0x0008002A, VR.DT, "20240611101530.123456+0100");
        ds.putString(Tag.StudyInstanceUID, "1.2.3.4");
        ds.putString(Tag.SeriesInstanceUID, "1.2.3.4.5");
        ds.putString(Tag.InstanceNumber, VR.IS, "12");
        ds.putDoubles(Tag.ImagePositionPatient, VR.DS, -100.5, -120.25, 35);
        ds.putDoubles(Tag.PixelSpacing, VR.DS, 0.703125, 0.703125);
        ds.putString(0x00204000, VR.LT, "Line one\r\nLine two with \\ backslash");
        ds.putString(0x00081030 + 0x0, VR.LO, "Thorax ñ é ß");
        ds.putString(0x0040A160, VR.UT, "Unlimited text");
        ds.putString(0x00400280, VR.ST, "short text ");
        ds.putString(0x0040E010, VR.UR, "https://example.org/a b");
        ds.putInts(Tag.Rows, 4);
        ds.putInts(Tag.Columns, 3);
        ds.putInts(Tag.SamplesPerPixel, 1);
        ds.putString(Tag.PhotometricInterpretation, "MONOCHROME2");
        ds.putInts(Tag.BitsAllocated, 16);
        ds.putInts(Tag.BitsStored, 12);
        ds.putInts(Tag.HighBit, 11);
        ds.putInts(Tag.PixelRepresentation, 1);
        ds.putInts(Tag.SmallestImagePixelValue, VR.SS, -1000);
        ds.putInts(Tag.FrameIncrementPointer, VR.AT, 0x00181063, 0x00200013);
        ds.putDoubles(Tag.WindowCenter, VR.DS, 40, -600);
        ds.putDoubles(Tag.WindowWidth, VR.DS, 400, 1500);
        ds.putDoubles(Tag.RescaleIntercept, VR.DS, -1024);
        ds.putDoubles(Tag.RescaleSlope, VR.DS, 1);
        ds.putString(Tag.RescaleType, "HU");
        ds.putDoubles(0x00089459, VR.FL, 29.97);
        ds.putDoubles(0x00081163, VR.FD, 1.5, 2.5);
        ds.putInts(0x00186020, VR.SL, -7, 7);
        ds.putInts(0x00189219, VR.SS, -3, 4);
        ds.putInts(0x00280034 + 0x0, VR.IS, 1, 1);
        ds.putLongs(0x00720082, VR.SV, Long.MIN_VALUE, 5);
        ds.putLongs(0x00720083, VR.UV, -1L);
        ds.putLongs(0x00720081, VR.OV, 1, 2);
        ds.putLongs(0x00660040, VR.OL, 1, 4000000000L);
        ds.putDoubles(0x00660022, VR.OD, 1.5, -2.25);
        ds.putDoubles(0x00181638, VR.OF, 0.5, -0.25);
        ds.putInts(0x00281201 + 0x0, VR.OW, 1, 2, 65535);
        ds.putBytes(0x00420011, VR.OB, new byte[] {1, 2, 3}); // odd: padded on write
        ds.putString(PRIVATE_CREATOR, VR.LO, "ROENTGEN TEST");
        ds.putString(PRIVATE_TEXT, VR.LO, "private text");
        ds.putInts(0x00091002, VR.US, 42, 43);
        DicomObject privateItem = new DicomObject().putString(Tag.CodeValue, VR.SH, "PRIV1");
        ds.putSequence(PRIVATE_SEQUENCE, privateItem);

        DicomObject ref1 = new DicomObject()
                .putString(Tag.ReferencedSOPClassUID, "1.2.840.10008.5.1.4.1.1.2")
                .putString(Tag.ReferencedSOPInstanceUID, "1.2.3.4.5.6");
        ds.putSequence(Tag.ReferencedImageSequence, ref1, new DicomObject());
        ds.putSequence(Tag.ModalityLUTSequence); // empty sequence
        DicomObject level3 = new DicomObject().putString(0x0040A160, VR.UT, "Ebene 3 ä");
        DicomObject level2 = new DicomObject().putString(0x0040A160, VR.UT, "Ebene 2").putSequence(0x0040A730, level3);
        DicomObject level1 = new DicomObject().putString(0x0040A160, VR.UT, "Ebene 1").putSequence(0x0040A730, level2);
        ds.putSequence(0x0040A730, level1);

        byte[] pixels = new byte[4 * 3 * 2];
        for (int i = 0; i < 12; i++) {
            short v = (short) (i * 300 - 1000);
            pixels[2 * i] = (byte) v;
            pixels[2 * i + 1] = (byte) (v >> 8);
        }
        ds.putPixelData(VR.OW, pixels);
        return ds;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99"})
    void everySyntaxRoundTrips(String uid) throws Exception {
        TransferSyntax ts = TransferSyntax.of(uid);
        for (boolean defined : new boolean[] {false, true}) {
            DicomObject ds = richDataSet();
            DicomWriter writer = DicomWriter.builder().transferSyntax(ts).definedLengthSequences(defined).build();
            byte[] file = writer.toByteArray(ds);

            DicomObject fromBytes = DicomReader.defaults().read(file);
            DicomObject fromStream = DicomReader.defaults().read(new ByteArrayInputStream(file));
            Path path = tmp.resolve("rt.dcm");
            Files.write(path, file);
            DicomObject fromPath = DicomReader.defaults().read(path);
            for (DicomObject back : List.of(fromBytes, fromStream, fromPath)) {
                assertEquals(ts, back.transferSyntax());
                ToolkitInteropTest.assertSameValues(ds, back, ts.isExplicitVR());
                assertEquals("Müller^Jürgen", back.getString(Tag.PatientName));
                assertEquals("Ebene 3 ä", back.getSequence(0x0040A730).get(0).getSequence(0x0040A730).get(0)
                        .getSequence(0x0040A730).get(0).getString(0x0040A160));
                assertEquals("PRIV1", back.getSequence(PRIVATE_SEQUENCE).get(0).getString(Tag.CodeValue));
                assertEquals(0, back.getSequence(Tag.ModalityLUTSequence).size());
                assertTrue(back.contains(Tag.ModalityLUTSequence));
                assertEquals(-1000, back.getInt(Tag.SmallestImagePixelValue, 0));
                assertArrayEquals(new byte[] {1, 2, 3, 0}, back.getBytes(0x00420011));
                NativePixelData px = back.nativePixelData();
                byte[] b = px.toByteArray();
                if (px.byteOrder() == ByteOrder.BIG_ENDIAN) {
                    ToolkitInteropTest.swap16(b);
                }
                assertArrayEquals(ds.nativePixelData().toByteArray(), b);
                DicomObject meta = back.fileMeta();
                assertEquals(uid, meta.getString(Tag.TransferSyntaxUID));
                assertEquals(ds.getString(Tag.SOPInstanceUID), meta.getString(Tag.MediaStorageSOPInstanceUID));
                assertEquals("1.2.840.10008.5.1.4.1.1.2", meta.getString(Tag.MediaStorageSOPClassUID));
                assertEquals(Uids.IMPLEMENTATION_CLASS_UID, meta.getString(Tag.ImplementationClassUID));
                assertEquals(Uids.IMPLEMENTATION_VERSION_NAME, meta.getString(Tag.ImplementationVersionName));
                assertArrayEquals(new byte[] {0, 1}, meta.getBytes(Tag.FileMetaInformationVersion));
            }
            // and again: what was read is written the same way
            DicomObject again = DicomReader.defaults().read(writer.toByteArray(fromBytes));
            ToolkitInteropTest.assertSameValues(fromBytes, again, true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2"})
    void bareDataSetsAreDetected(String uid) throws Exception {
        DicomObject ds = richDataSet();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomWriter.of(TransferSyntax.of(uid)).writeDataSet(ds, out);
        DicomObject back = DicomReader.defaults().read(out.toByteArray());
        assertNull(back.fileMeta());
        assertEquals(uid, back.transferSyntax().uid());
        ToolkitInteropTest.assertSameValues(ds, back, !uid.equals("1.2.840.10008.1.2"));
    }

    @Test
    void charsetsRoundTrip() throws Exception {
        String[][] cases = {
            {"ISO_IR 192", "山田^太郎=やまだ^たろう", "Ünïcödé ✓"},
            {"ISO_IR 100", "Müller^Jürgen", "ñ é ß"},
            {"ISO_IR 101", "Dvořák^Zdeněk", "Łódź"},
            {"ISO_IR 144", "Люкceмбypг", "исследование"},
            {"ISO_IR 126", "Διονυσιος", "Μελέτη"},
            {"ISO_IR 138", "שרון^דבורה", "מחקר"},
            {"ISO_IR 127", "قباني^لنزار", "دراسة"},
            {"ISO_IR 148", "Çelik^Şükrü", "Çalışma"},
            {"ISO_IR 166", "ประเทศไทย", "การศึกษา"},
            {"GB18030", "王^小东", "研究"},
            {"", "Smith^John", "plain ascii"},
        };
        for (String[] c : cases) {
            DicomObject ds = new DicomObject()
                    .putString(Tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7")
                    .putString(Tag.SOPInstanceUID, Uids.generate());
            if (!c[0].isEmpty()) {
                ds.putString(Tag.SpecificCharacterSet, c[0]);
            }
            ds.putString(Tag.PatientName, c[1]);
            ds.putSequence(0x0040A730, new DicomObject().putString(0x0040A160, VR.UT, c[2]));
            for (TransferSyntax ts : List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)) {
                DicomObject back = DicomReader.defaults().read(DicomWriter.of(ts).toByteArray(ds));
                assertEquals(c[1], back.getString(Tag.PatientName), c[0]);
                assertEquals(c[2], back.getSequence(0x0040A730).get(0).getString(0x0040A160), c[0]);
            }
        }
        // The default repertoire cannot hold non-ASCII text: said at put/write time, not silently mangled.
        DicomObject ascii = new DicomObject().putString(Tag.SOPClassUID, "1.2").putString(Tag.SOPInstanceUID, "1.3")
                .putString(Tag.PatientName, "Müller");
        assertThrows(IllegalArgumentException.class, () -> DicomWriter.explicitLittleEndian().toByteArray(ascii));
    }

    @Test
    void iso2022JapaneseIsDecoded() throws Exception {
        // PS3.5 H.3.1 example: Yamada^Tarou=山田^太郎=やまだ^たろう in ISO 2022 IR 87
        byte[] name = {
            'Y', 'a', 'm', 'a', 'd', 'a', '^', 'T', 'a', 'r', 'o', 'u', '=',
            0x1b, 0x24, 0x42, 0x3b, 0x33, 0x45, 0x44, 0x1b, 0x28, 0x42, '^',
            0x1b, 0x24, 0x42, 0x42, 0x40, 0x4f, 0x3a, 0x1b, 0x28, 0x42, '=',
            0x1b, 0x24, 0x42, 0x24, 0x64, 0x24, 0x5e, 0x24, 0x40, 0x1b, 0x28, 0x42, '^',
            0x1b, 0x24, 0x42, 0x24, 0x3f, 0x24, 0x6d, 0x24, 0x26, 0x1b, 0x28, 0x42
        };
        DicomObject ds = new DicomObject()
                .putString(Tag.SOPClassUID, "1.2").putString(Tag.SOPInstanceUID, "1.3")
                .putString(Tag.SpecificCharacterSet, "", "ISO 2022 IR 87")
                .putBytes(Tag.PatientName, VR.PN, name);
        DicomObject back = DicomReader.defaults().read(DicomWriter.explicitLittleEndian().toByteArray(ds));
        assertEquals("Yamada^Tarou=山田^太郎=やまだ^たろう", back.getString(Tag.PatientName));
    }

    @Test
    void encapsulatedPixelDataRoundTrips() throws Exception {
        DicomObject ds = new DicomObject()
                .putString(Tag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7")
                .putString(Tag.SOPInstanceUID, Uids.generate())
                .putInts(Tag.Rows, 8).putInts(Tag.Columns, 8)
                .putString(Tag.NumberOfFrames, VR.IS, "3");
        List<byte[]> frames = List.of(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}, new byte[] {(byte) 0xFF, (byte) 0xD8, 4, 5},
                new byte[] {(byte) 0xFF, (byte) 0xD8, 6});
        ds.putEncapsulatedPixelData(EncapsulatedPixelData.ofFrames(frames));
        assertThrows(IllegalArgumentException.class, () -> DicomWriter.explicitLittleEndian().toByteArray(ds));
        assertThrows(IllegalArgumentException.class,
                () -> DicomWriter.builder().transferSyntax(TransferSyntax.JPEG_BASELINE).build()
                        .toByteArray(richDataSet()));
        for (boolean defined : new boolean[] {false, true}) {
            byte[] file = DicomWriter.builder().transferSyntax(TransferSyntax.JPEG_BASELINE).definedLengthSequences(defined)
                    .build().toByteArray(ds);
            DicomObject back = DicomReader.defaults().read(file);
            assertEquals(TransferSyntax.JPEG_BASELINE, back.transferSyntax());
            assertNull(back.nativePixelData());
            EncapsulatedPixelData e = back.encapsulatedPixelData();
            assertArrayEquals(new long[] {0, 14, 26}, e.basicOffsetTable());
            List<byte[]> got = e.frames(3);
            assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 0}, got.get(0)); // padded to even
            assertArrayEquals(frames.get(1), got.get(1));
            assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8, 6, 0}, e.frame(2, 3));
        }
    }

    @Test
    void stopsBeforePixelDataWithoutReadingIt() throws Exception {
        DicomObject ds = richDataSet();
        ds.putInts(Tag.Rows, 512).putInts(Tag.Columns, 512).putPixelData(VR.OW, new byte[512 * 512 * 2]);
        byte[] file = DicomWriter.explicitLittleEndian().toByteArray(ds);
        DicomReader header = DicomReader.builder().stopBeforePixelData(true).build();

        CountingStream in = new CountingStream(new ByteArrayInputStream(file));
        DicomObject fromStream = header.read(in);
        assertTrue(fromStream.stoppedBeforePixelData());
        assertFalse(fromStream.contains(Tag.PixelData));
        assertEquals(512, fromStream.getInt(Tag.Rows, 0));
        assertTrue(in.count < file.length - 500_000, "read " + in.count + " of " + file.length + " bytes");
        assertEquals(file.length - 512 * 512 * 2 - 12, fromStream.pixelDataPosition());
        assertEquals("not read", DicomSummary.of(fromStream).pixelData());

        Path path = tmp.resolve("big.dcm");
        Files.write(path, file);
        DicomObject fromPath = header.read(path);
        assertTrue(fromPath.stoppedBeforePixelData());
        ToolkitInteropTest.assertSameValues(fromStream, fromPath, true);
        // also for a deflated file: inflation stops early too
        byte[] deflated = DicomWriter.of(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN).toByteArray(ds);
        DicomObject d = header.read(new ByteArrayInputStream(deflated));
        assertTrue(d.stoppedBeforePixelData());
        assertEquals("Müller^Jürgen", d.getString(Tag.PatientName));
    }

    @Test
    void putGetAndRemove() {
        DicomObject ds = new DicomObject();
        ds.putString(Tag.PatientID, "B").putString(Tag.Modality, "MR").putString(Tag.SpecificCharacterSet, "ISO_IR 192");
        assertArrayEquals(new int[] {Tag.SpecificCharacterSet, Tag.Modality, Tag.PatientID}, ds.tags());
        assertEquals(VR.LO, ds.vr(Tag.PatientID));
        assertNull(ds.getString(Tag.PatientName));
        assertEquals(7, ds.getInt(Tag.Rows, 7));
        assertEquals(0, ds.getStrings(Tag.ImageType).length);
        assertEquals(List.of(), ds.getSequence(Tag.ReferencedImageSequence));
        ds.putString(Tag.ImageType, "A", "B ", " C");
        assertArrayEquals(new String[] {"A", "B", "C"}, ds.getStrings(Tag.ImageType));
        ds.putString(Tag.ImageType, VR.CS);
        assertNull(ds.getString(Tag.ImageType));
        assertEquals(0, ds.getStrings(Tag.ImageType).length);
        assertTrue(ds.remove(Tag.Modality));
        assertFalse(ds.contains(Tag.Modality));
        ds.putString(Tag.Rows, VR.US, "512");
        assertEquals(512, ds.getInt(Tag.Rows, 0));
        ds.putString(Tag.InstanceNumber, VR.IS, " +12 ");
        assertEquals(12, ds.getInt(Tag.InstanceNumber, 0));
        ds.putString(Tag.SliceThickness, VR.DS, "1.5e0");
        assertEquals(1.5, ds.getDouble(Tag.SliceThickness, 0));
        ds.putString(Tag.SliceLocation, VR.DS, "bogus");
        assertEquals(-1, ds.getDouble(Tag.SliceLocation, -1));
        assertEquals("1.5", StringValues.formatDS(1.5));
        assertTrue(StringValues.formatDS(Math.PI).length() <= 16);
        assertEquals(Math.PI, Double.parseDouble(StringValues.formatDS(Math.PI)), 1e-13);
    }

    @Test
    void uidsAreGeneratedInThe225Form() {
        String uid = Uids.generate();
        assertTrue(uid.startsWith("2.25."));
        assertTrue(Uids.isValid(uid), uid);
        assertTrue(uid.length() <= 44);
        assertFalse(uid.equals(Uids.generate()));
        assertTrue(Uids.isValid(Uids.IMPLEMENTATION_CLASS_UID));
        assertFalse(Uids.isValid("1.02.3"));
        assertFalse(Uids.isValid("1..3"));
        assertEquals("CT Image Storage", Uids.nameOf("1.2.840.10008.5.1.4.1.1.2"));
        assertEquals("Explicit VR Little Endian", Uids.nameOf("1.2.840.10008.1.2.1"));
        assertTrue(Uids.IMPLEMENTATION_VERSION_NAME.length() <= 16);
    }

    static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
