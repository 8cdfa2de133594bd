package io.roentgen.dicom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Roentgen against the real toolkits: files dcmtk and GDCM write are read with the values the
 * toolkits report, and files Roentgen writes are read by dcmdump (without warnings), GDCM and
 * dcmtk's converters.
 */
class ToolkitInteropTest {
    @TempDir
    Path tmp;

    private static final int[] COMPARED = {
        Tag.ImageType, Tag.SOPClassUID, Tag.SOPInstanceUID, Tag.StudyDate, Tag.Modality,
        Tag.Manufacturer, 0x00080119, 0x00089459, Tag.PatientName, Tag.PatientID, Tag.SliceThickness, 0x00186020,
        0x00189219, Tag.StudyInstanceUID, Tag.InstanceNumber, Tag.ImagePositionPatient, Tag.ImageOrientationPatient,
        Tag.Rows, Tag.Columns, Tag.PixelSpacing, Tag.BitsAllocated, Tag.BitsStored, Tag.HighBit,
        Tag.PixelRepresentation, Tag.SmallestImagePixelValue, Tag.LargestImagePixelValue, Tag.WindowCenter,
        Tag.WindowWidth, Tag.RescaleIntercept, Tag.RescaleSlope, Tag.RescaleType, 0x0040E010, 0x00720082,
    };

    /** What dcmdump shows for a value, built from Roentgen's reading. */
    private static String roentgenText(DicomObject ds, int tag) {
        String[] v = ds.getStrings(tag);
        VR vr = ds.vr(tag);
        if (vr == VR.FL) {
            return null; // dcmdump prints 29.9699993 (%.8g), Roentgen 29.97: compared numerically below
        }
        return String.join("\\", v);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ct16-explicit.dcm", "ct16-implicit.dcm", "ct16-bigendian.dcm", "ct16-deflated.dcm",
        "ct16-undefined-lengths.dcm", "ct16-bare-implicit.dcm", "ct16-bare-bigendian.dcm"})
    void readsDcmtkFilesWithTheValuesDcmdumpReports(String name) throws Exception {
        Path file = Fixtures.path(name);
        DicomObject ds = DicomReader.defaults().read(file);
        int compared = 0;
        for (int tag : COMPARED) {
            String expected = Toolkit.dcmdumpValue(file, tag);
            String actual = roentgenText(ds, tag);
            if (expected != null && actual != null) {
                assertEquals(expected, actual, name + " " + Tag.toString(tag));
                compared++;
            }
        }
        // dcmdump shows UIDs it knows by name and FL in its own format: the rest must be compared.
        assertTrue(compared >= COMPARED.length - 4, name + ": only " + compared + " of " + COMPARED.length
                + " values compared with dcmdump's");
        assertEquals("Müller^Jürgen", ds.getString(Tag.PatientName));
        assertEquals(29.97f, (float) ds.getDouble(0x00089459, 0), 0f);
        assertArrayEquals(new String[] {"ORIGINAL", "PRIMARY", "AXIAL"}, ds.getStrings(Tag.ImageType));
        assertArrayEquals(new double[] {40, 400}, ds.getDoubles(Tag.WindowCenter));
        assertEquals(-1000, ds.getInt(Tag.SmallestImagePixelValue, 0));
        assertArrayEquals(new int[] {0x00181063, 0x00200013}, ds.getInts(Tag.FrameIncrementPointer));
        assertArrayEquals(new long[] {-9000000000000000000L, 5}, ds.getLongs(0x00720082));
        assertArrayEquals(new long[] {1, -1}, ds.getLongs(0x00720081)); // OV 18446744073709551615 = -1 as long
        assertArrayEquals(new double[] {1.5, -2.25}, ds.getDoubles(0x00660022));
        assertArrayEquals(new long[] {1, 2, 4000000000L}, ds.getLongs(0x00660040));
        assertEquals(2, ds.getSequence(Tag.ReferencedImageSequence).size());
        assertEquals(0, ds.getSequence(Tag.ReferencedImageSequence).get(1).size());
        DicomObject level3 = ds.getSequence(0x0040A730).get(0).getSequence(0x0040A730).get(0)
                .getSequence(0x0040A730).get(0);
        assertEquals("Level 3 text", level3.getString(0x0040A160));
        assertEquals("Level 2 text\\with a backslash that is not a delimiter in UT",
                ds.getSequence(0x0040A730).get(0).getSequence(0x0040A730).get(0).getString(0x0040A160));
        // Private sequence: explicit VR says SQ; implicit VR finds the items in the UN value.
        assertEquals("PRIV1", ds.getSequence(0x00091003).get(0).getString(Tag.CodeValue));
        assertEquals("ROENTGEN TEST", ds.privateCreator(0x00091001));

        // Pixel bytes: as dcmdump +W writes them (host byte order) and as GDCM's gdcmraw does.
        NativePixelData px = ds.nativePixelData();
        ImageDescriptor image = ds.imageDescriptor();
        px.checkGeometry(image);
        byte[] bytes = px.toByteArray();
        if (px.needsByteSwap(image)) {
            assertEquals(ByteOrder.BIG_ENDIAN, px.byteOrder());
            swap16(bytes);
        }
        assertArrayEquals(Fixtures.bytes("ct16-pixels.raw"), bytes);
        Path dir = Files.createDirectory(tmp.resolve("w"));
        Toolkit.run(null, "dcmdump", "+W", dir.toString(), file.toString()).ok();
        try (var files = Files.list(dir)) {
            Path raw = files.filter(p -> p.toString().endsWith(".raw")).findFirst().orElseThrow();
            assertArrayEquals(Files.readAllBytes(raw), bytes, "dcmdump +W pixel data");
        }
        if (ds.fileMeta() != null) {
            Path raw = tmp.resolve("gdcm.raw");
            Toolkit.run(null, "gdcmraw", "-i", file.toString(), "-o", raw.toString(), "-t", "7fe0,0010").ok();
            assertArrayEquals(Files.readAllBytes(raw), bytes, "gdcmraw pixel data");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"+ti", "+te", "+tb", "+td"})
    void readsWhatDcmconvWritesNow(String option) throws Exception {
        Path out = tmp.resolve("conv.dcm");
        Toolkit.run(null, "dcmconv", option, Fixtures.path("ct16-explicit.dcm").toString(), out.toString()).ok();
        DicomObject expected = Fixtures.read("ct16-explicit.dcm");
        DicomObject actual = DicomReader.defaults().read(out);
        assertSameValues(expected, actual, !option.equals("+ti"));
        NativePixelData px = actual.nativePixelData();
        byte[] b = px.toByteArray();
        if (px.byteOrder() == ByteOrder.BIG_ENDIAN) {
            swap16(b);
        }
        assertArrayEquals(Fixtures.bytes("ct16-pixels.raw"), b);
    }

    @Test
    void readsCharacterSetsAsDcmdumpConvertsThem() throws Exception {
        int compared = 0;
        for (String name : new String[] {"utf8.dcm", "iso8859-5.dcm", "ct16-implicit.dcm"}) {
            Path file = Fixtures.path(name);
            DicomObject ds = DicomReader.defaults().read(file);
            for (int tag : new int[] {Tag.PatientName, Tag.StudyDescription, Tag.Manufacturer}) {
                String expected = Toolkit.dcmdumpValue(file, tag);
                if (expected != null) {
                    assertEquals(expected, ds.getString(tag, ""), name + " " + Tag.toString(tag));
                    compared++;
                }
            }
        }
        assertTrue(compared >= 5, "only " + compared + " values compared with dcmdump's");
        DicomObject utf8 = Fixtures.read("utf8.dcm");
        assertEquals("山田^太郎=やまだ^たろう", utf8.getString(Tag.PatientName));
        assertEquals("Étude 研究 Μελέτη исследование", utf8.getString(Tag.StudyDescription));
        assertEquals("Ünïcödé ✓ in an item", utf8.getSequence(0x0040A730).get(0).getString(0x0040A160));
        assertEquals("Люкceмбypг", Fixtures.read("iso8859-5.dcm").getString(Tag.PatientName));
    }

    @Test
    void splitsEncapsulatedFramesAsTheToolkitsStoreThem() throws Exception {
        // RLE: one fragment per frame with a Basic Offset Table; gdcmraw concatenates the fragments.
        DicomObject rle = Fixtures.read("mf-rle.dcm");
        assertEquals(TransferSyntax.RLE_LOSSLESS, rle.transferSyntax());
        EncapsulatedPixelData e = rle.encapsulatedPixelData();
        assertEquals(3, e.fragmentCount());
        assertEquals(3, e.basicOffsetTable().length);
        List<byte[]> frames = e.frames(rle.imageDescriptor().frames());
        assertEquals(3, frames.size());
        Path raw = tmp.resolve("rle.raw");
        Toolkit.run(null, "gdcmraw", "-i", Fixtures.path("mf-rle.dcm").toString(), "-o", raw.toString(), "-t", "7fe0,0010").ok();
        assertArrayEquals(Files.readAllBytes(raw), concat(frames));
        Path dir = Files.createDirectory(tmp.resolve("w"));
        Toolkit.run(null, "dcmdump", "+W", dir.toString(), Fixtures.path("mf-rle.dcm").toString()).ok();
        for (int f = 0; f < 3; f++) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("mf-rle.dcm." + (f + 1) + ".raw")), frames.get(f));
        }

        // JPEG lossless in 1 KiB fragments with an offset table: frames are whole JPEG streams.
        DicomObject jpeg = Fixtures.read("mf-jpeg-fragments.dcm");
        EncapsulatedPixelData je = jpeg.encapsulatedPixelData();
        assertTrue(je.fragmentCount() > 3);
        for (byte[] frame : je.frames(3)) {
            assertJpegStream(frame);
        }
        // JPEG-LS with an empty offset table: one fragment per frame.
        DicomObject jls = Fixtures.read("mf-jpegls-no-offsets.dcm");
        assertEquals(0, jls.encapsulatedPixelData().basicOffsetTable().length);
        for (byte[] frame : jls.encapsulatedPixelData().frames(3)) {
            assertJpegStream(frame);
        }
        // img2dcm keeps the JPEG as it is; GDCM's JPEG 2000 is one codestream.
        byte[] single = Fixtures.read("jpeg-img2dcm.dcm").encapsulatedPixelData().frames(1).get(0);
        assertJpegStream(single);
        assertEquals(TransferSyntax.JPEG_BASELINE, Fixtures.read("jpeg-img2dcm.dcm").transferSyntax());
        byte[] j2k = Fixtures.read("ct16-j2k-gdcm.dcm").encapsulatedPixelData().frames(1).get(0);
        assertEquals((byte) 0xFF, j2k[0]);
        assertEquals((byte) 0x4F, j2k[1]);
    }

    private static void assertJpegStream(byte[] frame) {
        assertEquals((byte) 0xFF, frame[0]);
        assertEquals((byte) 0xD8, frame[1]);
        int end = frame.length - 1;
        while (frame[end] == 0) {
            end--; // padding
        }
        assertEquals((byte) 0xD9, frame[end]);
        assertEquals((byte) 0xFF, frame[end - 1]);
    }

    @Test
    void readsImg2dcmNativeRgb() throws Exception {
        DicomObject ds = Fixtures.read("rgb-img2dcm.dcm");
        ImageDescriptor image = ds.imageDescriptor();
        assertEquals(16, image.rows());
        assertEquals(24, image.columns());
        assertEquals(3, image.samplesPerPixel());
        byte[] ppm = Fixtures.bytes("rgb.ppm");
        byte[] expected = java.util.Arrays.copyOfRange(ppm, ppm.length - 16 * 24 * 3, ppm.length);
        assertArrayEquals(expected, ds.nativePixelData().frame(0, image));
    }

    // ------------------------------------------------------------------ Roentgen writes, toolkits read

    @ParameterizedTest
    @ValueSource(strings = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99"})
    void toolkitsReadWhatRoentgenWrites(String uid) throws Exception {
        for (boolean defined : new boolean[] {false, true}) {
            DicomObject ds = RoundTripTest.richDataSet();
            Path file = tmp.resolve("roentgen-" + defined + ".dcm");
            DicomWriter.builder().transferSyntax(TransferSyntax.of(uid)).definedLengthSequences(defined).build().write(ds, file);

            Toolkit.Result dump = Toolkit.run(null, "dcmdump", file.toString()).ok();
            assertFalse(dump.stderr().contains("W:") || dump.stderr().contains("E:"), dump.stderr());
            assertTrue(dump.stdout().contains(uid.equals("1.2.840.10008.1.2.2") ? "Big Endian Explicit" : "TransferSyntax"));
            Toolkit.run(null, "gdcminfo", file.toString()).ok();
            Toolkit.Result gdcm = Toolkit.run(null, "gdcmdump", file.toString()).ok();
            assertFalse(gdcm.stdout().isEmpty());
            // dcmtk's verbose check of the File Meta Information
            Toolkit.Result strict = Toolkit.run(null, "dcmdump", "-v", "+E", file.toString()).ok();
            assertFalse(strict.stderr().contains("W:") || strict.stderr().contains("E:"), strict.stderr());

            for (int tag : new int[] {Tag.PatientName, Tag.StudyDescription, Tag.ImageType, Tag.WindowCenter, Tag.Rows,
                Tag.SmallestImagePixelValue, Tag.SOPInstanceUID, 0x00091001}) {
                if (tag == 0x00091001 && uid.equals("1.2.840.10008.1.2")) {
                    continue; // implicit VR: dcmtk has no VR for a private tag and shows bytes
                }
                String expected = String.join("\\", ds.getStrings(tag));
                assertEquals(expected, Toolkit.dcmdumpValue(file, tag), uid + " " + Tag.toString(tag));
            }
            Path raw = tmp.resolve("px.raw");
            Toolkit.run(null, "gdcmraw", "-i", file.toString(), "-o", raw.toString(), "-t", "7fe0,0010").ok();
            assertArrayEquals(ds.nativePixelData().toByteArray(), Files.readAllBytes(raw));
            String meta = Toolkit.run(null, "dcmdump", "-Un", "+P", "0002,0012", "+P", "0002,0001", file.toString()).ok().stdout();
            assertTrue(meta.contains(Uids.IMPLEMENTATION_CLASS_UID), meta);
            assertTrue(meta.contains("00\\01"), meta);
        }
    }

    @Test
    void dcmtkDecodesEncapsulatedPixelDataRoentgenWrites() throws Exception {
        // Frames from dcmtk's RLE file, re-wrapped by Roentgen's writer, decompressed by dcmdrle.
        DicomObject rle = Fixtures.read("mf-rle.dcm");
        List<byte[]> frames = rle.encapsulatedPixelData().frames(3);
        DicomObject ds = new DicomObject();
        for (DicomElement el : rle) {
            if (el.tag() != Tag.PixelData) {
                ds.putBytes(el.tag(), el.vr(), el.getBytes());
            }
        }
        ds.putEncapsulatedPixelData(EncapsulatedPixelData.ofFrames(frames));
        Path file = tmp.resolve("rle-roentgen.dcm");
        DicomWriter.of(TransferSyntax.RLE_LOSSLESS).write(ds, file);
        Toolkit.Result dump = Toolkit.run(null, "dcmdump", file.toString()).ok();
        assertFalse(dump.stderr().contains("W:") || dump.stderr().contains("E:"), dump.stderr());
        Path decoded = tmp.resolve("decoded.dcm");
        Toolkit.run(null, "dcmdrle", file.toString(), decoded.toString()).ok();
        NativePixelData px = DicomReader.defaults().read(decoded).nativePixelData();
        assertArrayEquals(Fixtures.bytes("mf-pixels.raw"), px.toByteArray());
        Toolkit.run(null, "gdcminfo", file.toString()).ok();

        DicomObject back = DicomReader.defaults().read(file);
        assertEquals(TransferSyntax.RLE_LOSSLESS, back.transferSyntax());
        List<byte[]> again = back.encapsulatedPixelData().frames(3);
        for (int f = 0; f < 3; f++) {
            assertArrayEquals(frames.get(f), again.get(f));
        }
    }

    // ------------------------------------------------------------------ helpers

    static void swap16(byte[] b) {
        for (int i = 0; i + 1 < b.length; i += 2) {
            byte t = b[i];
            b[i] = b[i + 1];
            b[i + 1] = t;
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /**
     * Every element of {@code expected} has the same values in {@code actual}, recursively.
     * Private values that implicit VR leaves as UN are compared as bytes only when {@code exactVrs}.
     */
    static void assertSameValues(DicomObject expected, DicomObject actual, boolean exactVrs) {
        List<String> problems = new ArrayList<>();
        compare(expected, actual, exactVrs, "", problems);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static void compare(DicomObject expected, DicomObject actual, boolean exactVrs, String path, List<String> problems) {
        for (DicomElement e : expected) {
            int tag = e.tag();
            String where = path + Tag.toString(tag);
            if (tag == Tag.PixelData) {
                continue;
            }
            if (!actual.contains(tag)) {
                problems.add(where + " missing");
                continue;
            }
            if (e.isSequence()) {
                List<DicomObject> a = actual.getSequence(tag);
                if (a.size() != e.items().size()) {
                    problems.add(where + " has " + a.size() + " items, expected " + e.items().size());
                    continue;
                }
                for (int k = 0; k < a.size(); k++) {
                    compare(e.items().get(k), a.get(k), exactVrs, where + "[" + k + "].", problems);
                }
                continue;
            }
            if (exactVrs && e.vr() != actual.vr(tag)) {
                problems.add(where + " VR " + actual.vr(tag) + ", expected " + e.vr());
            }
            if (actual.vr(tag) == VR.UN && !exactVrs) {
                continue;
            }
            String ev = String.join("\\", e.getStrings());
            String av = String.join("\\", actual.getStrings(tag));
            if (!ev.equals(av)) {
                problems.add(where + " is [" + av + "], expected [" + ev + "]");
            }
        }
        if (actual.size() != expected.size()) {
            problems.add(path + " has " + actual.size() + " elements, expected " + expected.size());
        }
    }
}
