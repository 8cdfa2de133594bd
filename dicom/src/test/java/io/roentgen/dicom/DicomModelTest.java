package io.roentgen.dicom;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tags, VRs, the dictionary, transfer syntaxes, the dump and the summary. */
class DicomModelTest {
    @Test
    void tags() {
        assertEquals("(0028,0010)", Tag.toString(Tag.Rows));
        assertEquals("(7FE0,0010)", Tag.toString(Tag.PixelData));
        assertEquals("(FFFE,E0DD)", Tag.toString(Tag.SequenceDelimitationItem));
        assertEquals(Tag.Rows, Tag.parse("(0028,0010)"));
        assertEquals(Tag.Rows, Tag.parse("00280010"));
        assertEquals(Tag.PatientID, Tag.parse("PatientID"));
        assertThrows(IllegalArgumentException.class, () -> Tag.parse("NoSuchKeyword"));
        assertTrue(Tag.isPrivate(0x00091001));
        assertTrue(Tag.isPrivateCreator(0x00090010));
        assertFalse(Tag.isPrivate(Tag.Rows));
        assertEquals(0x7FE0, Tag.group(Tag.PixelData));
    }

    @Test
    void vrs() {
        assertSame(VR.OB, VR.ofName("OB"));
        assertNull(VR.ofName("ZZ"));
        for (String longOnes : new String[] {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"}) {
            assertTrue(VR.ofName(longOnes).hasLongLength(), longOnes);
        }
        assertFalse(VR.US.hasLongLength());
        assertEquals((byte) 0, VR.UI.paddingByte());
        assertEquals((byte) ' ', VR.PN.paddingByte());
        assertTrue(VR.PN.usesSpecificCharacterSet());
        assertFalse(VR.CS.usesSpecificCharacterSet());
        assertFalse(VR.UT.isMultiValuedText());
    }

    @Test
    void dictionary() {
        assertEquals("PatientID", DataDictionary.keyword(Tag.PatientID));
        assertEquals(VR.LO, DataDictionary.vr(Tag.PatientID));
        assertEquals(VR.SQ, DataDictionary.vr(Tag.ReferencedImageSequence));
        assertEquals("US or SS", DataDictionary.vrText(Tag.SmallestImagePixelValue));
        assertEquals("OB or OW", DataDictionary.vrText(Tag.PixelData));
        assertEquals("2-n", DataDictionary.vm(Tag.ImageType));
        // repeating groups: overlays (60xx,3000), curves (50xx,xxxx), (0020,31xx)
        assertEquals("OverlayData", DataDictionary.keyword(0x60003000));
        assertEquals("OverlayData", DataDictionary.keyword(0x601E3000));
        assertEquals(VR.OW, DataDictionary.vr(0x60023000));
        assertEquals("OverlayRows", DataDictionary.keyword(0x60100010));
        assertNull(DataDictionary.keyword(0x60013000)); // odd group: private, not an overlay
        assertEquals("RETIRED_CurveDimensions", DataDictionary.keyword(0x50020005));
        assertEquals("RETIRED_SourceImageIDs", DataDictionary.keyword(0x00203102));
        assertEquals("GroupLength", DataDictionary.keyword(0x00080000));
        assertEquals("PrivateCreator", DataDictionary.keyword(0x00290010));
        assertEquals(VR.UN, DataDictionary.vr(0x00291010));
        assertNull(DataDictionary.keyword(0x00291010));
        assertEquals(Integer.valueOf(Tag.PixelData), DataDictionary.tagForKeyword("PixelData"));
        DataDictionary.Entry ge = DataDictionary.privateEntry(0x00191002, "GEMS_ACQU_01");
        assertTrue(ge == null || ge.keyword() != null);
    }

    @Test
    void transferSyntaxes() {
        TransferSyntax ts = TransferSyntax.of("1.2.840.10008.1.2.4.90");
        assertEquals("JPEG 2000 Image Compression (Lossless Only)", ts.name());
        assertTrue(ts.isEncapsulated());
        assertTrue(ts.isExplicitVR());
        assertFalse(ts.isLossy());
        assertSame(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.of("1.2.840.10008.1.2\0"));
        assertFalse(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.isExplicitVR());
        assertTrue(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.isBigEndian());
        assertTrue(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.isDeflated());
        assertTrue(TransferSyntax.RLE_LOSSLESS.isEncapsulated());
        assertTrue(TransferSyntax.HEVC_M10P51.isVideo());
        assertEquals("High-Throughput JPEG 2000 Image Compression", TransferSyntax.HTJ2K.name());
        assertEquals("JPEG-LS Lossless Image Compression", TransferSyntax.nameOf("1.2.840.10008.1.2.4.80"));
        assertEquals("JPEG Baseline (Process 1)", TransferSyntax.JPEG_BASELINE.name());
        TransferSyntax unknown = TransferSyntax.of("1.2.3.999");
        assertFalse(unknown.isKnown());
        assertTrue(unknown.isEncapsulated());
        assertTrue(TransferSyntax.all().size() >= 60);
        for (TransferSyntax t : TransferSyntax.all()) {
            assertTrue(Uids.isValid(t.uid()), t.uid());
        }
    }

    @Test
    void dumpLooksLikeDcmdump() throws Exception {
        DicomObject ds = Fixtures.read("ct16-explicit.dcm");
        String dump = new DicomDumper().maxValueChars(40).dump(ds);
        assertTrue(dump.contains("# File Meta Information"));
        assertTrue(dump.contains("(0010,0010) PN [Müller^Jürgen]"), dump);
        assertTrue(dump.contains("# 14, 1 PatientName") || dump.contains("#   14, 1 PatientName"), dump);
        assertTrue(dump.contains("(0008,0008) CS [ORIGINAL\\PRIMARY\\AXIAL]"));
        assertTrue(dump.contains("3 ImageType"));
        assertTrue(dump.contains("  (FFFE,E000) na (Item #1"));
        assertTrue(dump.contains("        (0040,A160) UT [Level 2 text\\with a backslash that is no...]"), dump);
        assertTrue(dump.contains("(7FE0,0010) OW fc2a\\fc41"), dump);
        String rle = new DicomDumper().dump(Fixtures.read("mf-rle.dcm"));
        assertTrue(rle.contains("(PixelSequence: 3 offsets, 3 fragments)"), rle);
    }

    @Test
    void summaryKeepsThePatientIdOutUnlessAsked() throws Exception {
        DicomSummary s = DicomSummary.of(Fixtures.read("ct16-implicit.dcm"));
        assertEquals("PAT-0001", s.patientId());
        assertEquals("CT", s.modality());
        assertEquals("CT Image Storage", s.sopClassName());
        assertEquals(32, s.rows());
        assertEquals(1, s.frames());
        assertEquals("Implicit VR Little Endian", s.transferSyntaxName());
        assertTrue(s.signed());
        assertEquals(12, s.bitsStored());
        assertEquals(-1024.0, s.rescaleIntercept());
        assertEquals(java.util.List.of(40.0, 400.0), s.windowCenter());
        assertFalse(s.toString().contains("PAT-0001"));
        assertFalse(s.toJson().contains("PAT-0001"));
        assertTrue(s.toJson(true).contains("\"patientId\": \"PAT-0001\""));
        Map<String, Object> m = s.toMap();
        assertFalse(m.containsKey("patientId"));
        assertEquals("1.2.840.10008.1.2", m.get("transferSyntaxUid"));
        DicomSummary rle = DicomSummary.of(Fixtures.read("mf-rle.dcm"));
        assertEquals(3, rle.frames());
        assertEquals("encapsulated", rle.pixelData());
        assertEquals("RLE Lossless", rle.transferSyntaxName());
    }
}
