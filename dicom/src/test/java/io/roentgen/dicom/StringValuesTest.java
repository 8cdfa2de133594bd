package io.roentgen.dicom;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.roentgen.dicom.ValueTypeFixtures.readOne;
import static io.roentgen.dicom.ValueTypeFixtures.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The character string VRs: every text VR names this value type; splitting, trimming, numbers. */
class StringValuesTest {
    private static final ValueType TYPE = StringValues.INSTANCE;

    @Test
    void eachTextVrNamesThisType() {
        for (VR vr : VR.values()) {
            if (vr.isText()) {
                assertSame(TYPE, vr.valueType(), vr.name());
            }
        }
    }

    @Test
    void multiValuedTextSplitsAndTrimsSingleValuedTextKeepsLeadingSpaces() {
        RawValue cs = RawValue.text(VR.CS, " ORIGINAL \\PRIMARY\\\\AXIAL\0");
        assertArrayEquals(new String[] {"ORIGINAL", "PRIMARY", "", "AXIAL"}, TYPE.strings(cs, 1), "text ignores max");
        assertEquals("ORIGINAL", TYPE.first(cs));
        RawValue lt = RawValue.text(VR.LT, "  indented\\not split  ");
        assertArrayEquals(new String[] {"  indented\\not split"}, TYPE.strings(lt, 9));
        assertEquals("  indented\\not split", TYPE.first(lt));
        assertNull(TYPE.first(RawValue.text(VR.LO, "   ")), "blank is absent");
        assertNull(TYPE.first(RawValue.text(VR.CS, "\\B")), "an empty first value is absent");
        assertArrayEquals(new String[0], TYPE.strings(RawValue.text(VR.CS, ""), 9));
    }

    @Test
    void numbersParseFromIsAndDsAndAnythingElseIsNull() {
        assertArrayEquals(new long[] {12, -7, 5}, TYPE.longs(RawValue.text(VR.IS, " 12\\-7 \\+5"), 9));
        assertArrayEquals(new long[] {12}, TYPE.longs(RawValue.text(VR.IS, "12\\x"), 1), "only max values are parsed");
        assertArrayEquals(new long[] {3, -2}, TYPE.longs(RawValue.text(VR.DS, "2.5\\-2.4"), 9), "DS rounds");
        assertArrayEquals(new double[] {0.5, -1e3}, TYPE.doubles(RawValue.text(VR.DS, "0.5\\-1E3 "), 9));
        assertNull(TYPE.longs(RawValue.text(VR.IS, "12\\x"), 9), "a value that does not parse");
        assertNull(TYPE.doubles(RawValue.text(VR.DS, "1.5\\"), 9), "an empty value");
        assertArrayEquals(new double[0], TYPE.doubles(RawValue.text(VR.LO, ""), 9), "no values: none to parse");
        assertNull(TYPE.longs(RawValue.text(VR.ST, "  "), 9), "a blank single-valued text");
    }

    @Test
    void putAndReadBackInEveryTransferSyntax() throws Exception {
        for (TransferSyntax ts : new TransferSyntax[] {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN}) {
            DicomObject ds = new DicomObject()
                    .putString(Tag.ImageType, "ORIGINAL", "PRIMARY")
                    .putDoubles(Tag.PixelSpacing, 0.1, 1.0 / 3)
                    .putLongs(Tag.InstanceNumber, VR.IS, 42)
                    .putDoubles(Tag.WindowCenter, VR.IS, 39.6)
                    .putString(Tag.DerivationDescription, VR.ST, "  kept leading spaces")
                    .putString(Tag.PatientID, "ODD"); // odd length: padded with a space, not part of the value
            DicomObject back = roundTrip(ds, ts);
            assertArrayEquals(new String[] {"ORIGINAL", "PRIMARY"}, back.getStrings(Tag.ImageType), ts.uid());
            double[] spacing = back.getDoubles(Tag.PixelSpacing);
            assertEquals(0.1, spacing[0], ts.uid());
            assertEquals(1.0 / 3, spacing[1], 1e-13, ts.uid()); // DS holds 16 characters
            assertEquals(42, back.getInt(Tag.InstanceNumber, 0), ts.uid());
            assertEquals("40", back.getString(Tag.WindowCenter), ts.uid());
            assertEquals("  kept leading spaces", back.getString(Tag.DerivationDescription), ts.uid());
            assertEquals("ODD", back.getString(Tag.PatientID), ts.uid());
            assertEquals(4, back.valueLength(Tag.PatientID), ts.uid());
        }
    }

    @Test
    void oddLengthsAndStrayBytesFromAFile() throws Exception {
        // A CS of odd length 7 (writers must pad; some do not).
        DicomObject odd = readOne(Tag.Modality, "CS", "CT\\MR\\X".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(new String[] {"CT", "MR", "X"}, odd.getStrings(Tag.Modality));
        // IS padded with NUL instead of space, and a DS with a value that does not parse.
        assertEquals(512, readOne(Tag.InstanceNumber, "IS", "512\0".getBytes(StandardCharsets.US_ASCII))
                .getInt(Tag.InstanceNumber, -1));
        DicomObject bad = readOne(Tag.PixelSpacing, "DS", "0.5\\abc ".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0.5, bad.getDouble(Tag.PixelSpacing, -1.0), "the first value parses on its own");
        assertArrayEquals(new double[0], bad.getDoubles(Tag.PixelSpacing));
        assertArrayEquals(new String[] {"0.5", "abc"}, bad.getStrings(Tag.PixelSpacing), "the text stays readable");
    }

    @Test
    void specificCharacterSetDecodesAndEncodesThePersonNameVrs() throws Exception {
        DicomObject ds = new DicomObject().putString(Tag.SpecificCharacterSet, "ISO_IR 192")
                .putString(Tag.PatientName, "Röntgen^Wilhelm");
        assertEquals("Röntgen^Wilhelm".getBytes(StandardCharsets.UTF_8).length, ds.valueLength(Tag.PatientName));
        assertEquals("Röntgen^Wilhelm", roundTrip(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN).getString(Tag.PatientName));
        assertEquals("RÃ¶ntgen", StringValues.decode(VR.CS, "Röntgen".getBytes(StandardCharsets.UTF_8), 0, 8, null),
                "CS is never decoded with the Specific Character Set");
    }

    @Test
    void numbersGoOnlyIntoIsAndDs() {
        assertEquals("cannot put integers into LO element (0010,0020)", assertThrows(IllegalArgumentException.class,
                () -> new DicomObject().putLongs(Tag.PatientID, VR.LO, 1)).getMessage());
        assertEquals("1.5", StringValues.formatDS(1.5));
        assertEquals(16, StringValues.formatDS(Math.PI).length());
        assertEquals(Math.PI, Double.parseDouble(StringValues.formatDS(Math.PI)), 1e-13);
        assertEquals("1.0E-300", StringValues.formatDS(1e-300));
    }
}
