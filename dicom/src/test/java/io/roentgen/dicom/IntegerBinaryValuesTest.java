package io.roentgen.dicom;

import org.junit.jupiter.api.Test;

import static io.roentgen.dicom.ValueTypeFixtures.binary;
import static io.roentgen.dicom.ValueTypeFixtures.counting;
import static io.roentgen.dicom.ValueTypeFixtures.readOne;
import static io.roentgen.dicom.ValueTypeFixtures.roundTrip;
import static io.roentgen.dicom.ValueTypeFixtures.viewAtOddOffset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** US SS UL SL UV SV OW OL OV AT: every VR names this value type, and its values round-trip. */
class IntegerBinaryValuesTest {
    private static final ValueType TYPE = IntegerBinaryValues.INSTANCE;

    @Test
    void eachIntegerVrNamesThisType() {
        for (VR vr : new VR[] {VR.US, VR.SS, VR.UL, VR.SL, VR.UV, VR.SV, VR.OW, VR.OL, VR.OV, VR.AT}) {
            assertSame(TYPE, vr.valueType(), vr.name());
        }
    }

    @Test
    void extremesRoundTripInBothByteOrders() {
        long[][] cases = {
            {0, 65535}, {-32768, 32767}, {0, 0xFFFFFFFFL}, {Integer.MIN_VALUE, Integer.MAX_VALUE},
            {0, -1}, {Long.MIN_VALUE, Long.MAX_VALUE}, {0x0010_0020L, 0x7FE0_0010L}};
        VR[] vrs = {VR.US, VR.SS, VR.UL, VR.SL, VR.UV, VR.SV, VR.AT};
        for (boolean bigEndian : new boolean[] {false, true}) {
            for (int c = 0; c < vrs.length; c++) {
                byte[] b = (byte[]) TYPE.fromLongs(vrs[c], cases[c], bigEndian);
                assertEquals(cases[c].length * IntegerBinaryValues.unit(vrs[c]), b.length);
                assertArrayEquals(cases[c], TYPE.longs(viewAtOddOffset(vrs[c], b, bigEndian), Integer.MAX_VALUE),
                        vrs[c] + (bigEndian ? " BE" : " LE"));
            }
        }
        // Unsigned 64-bit values beyond Long.MAX_VALUE print and convert unsigned.
        byte[] max = (byte[]) TYPE.fromLongs(VR.UV, new long[] {-1}, false);
        assertArrayEquals(new String[] {"18446744073709551615"}, TYPE.strings(binary(VR.UV, max, false), 9));
        assertEquals(1.8446744073709552E19, TYPE.doubles(binary(VR.UV, max, false), 9)[0]);
        assertEquals(-1.0, TYPE.doubles(binary(VR.SV, max, false), 9)[0]);
        byte[] at = (byte[]) TYPE.fromStrings(VR.AT, new String[] {"(0010,0020)", "7FE00010"}, true);
        assertArrayEquals(new byte[] {0x00, 0x10, 0x00, 0x20, 0x7F, (byte) 0xE0, 0x00, 0x10}, at);
        assertArrayEquals(new String[] {"(0010,0020)", "(7FE0,0010)"}, TYPE.strings(binary(VR.AT, at, true), 9));
    }

    @Test
    void byteOrderIsTheDataSets() {
        byte[] b = {0x01, 0x02, 0x03, 0x04};
        assertArrayEquals(new long[] {0x0201, 0x0403}, TYPE.longs(binary(VR.US, b, false), 9));
        assertArrayEquals(new long[] {0x0102, 0x0304}, TYPE.longs(binary(VR.US, b, true), 9));
        assertArrayEquals(new long[] {0x04030201L}, TYPE.longs(binary(VR.UL, b, false), 9));
        assertArrayEquals(new long[] {(0x0201L << 16) | 0x0403}, TYPE.longs(binary(VR.AT, b, false), 9));
        assertArrayEquals(new long[] {0x0201}, TYPE.longs(binary(VR.US, b, false), 1), "max values");
    }

    @Test
    void partialValuesAreIgnoredNotReadPastTheirEnd() throws Exception {
        // US of odd length 5 in a file: two values; the fifth byte is not half a value.
        DicomObject odd = readOne(Tag.Rows, "US", new byte[] {0x00, 0x02, 0x01, 0x00, 0x7F});
        assertArrayEquals(new int[] {512, 1}, odd.getInts(Tag.Rows));
        assertEquals(5, odd.getBytes(Tag.Rows).length);
        assertArrayEquals(new long[] {0x0201, 0x0403}, TYPE.longs(binary(VR.US, counting(5), false), 9));
        assertArrayEquals(new long[0], TYPE.longs(binary(VR.UL, counting(3), false), 9), "less than one UL");
        assertArrayEquals(new long[] {0x04030201L}, TYPE.longs(binary(VR.SL, counting(7), false), 9), "7 bytes of SL");
        assertArrayEquals(new long[0], TYPE.longs(binary(VR.UV, counting(7), false), 9), "7 bytes of UV");
        assertArrayEquals(new long[] {(0x0201L << 16) | 0x0403}, TYPE.longs(binary(VR.AT, counting(6), false), 9));

        // Read from a file: a UL value 2 bytes long holds no UL, so the getters answer their defaults.
        DicomObject shortUl = readOne(Tag.of(0x0009, 0x1011), "UL", new byte[] {1, 2});
        assertEquals(-7, shortUl.getInt(Tag.of(0x0009, 0x1011), -7));
        assertArrayEquals(new int[0], shortUl.getInts(Tag.of(0x0009, 0x1011)));
        assertNull(shortUl.getString(Tag.of(0x0009, 0x1011)));
        assertArrayEquals(new byte[] {1, 2}, shortUl.getBytes(Tag.of(0x0009, 0x1011)), "the bytes stay as read");
        // An empty value: the defaults too.
        assertEquals(3, readOne(Tag.Columns, "US", new byte[0]).getInt(Tag.Columns, 3));
    }

    @Test
    void aTruncatedValueIsRefusedByTheParser() {
        byte[] dataSet = new HostileInputTest.Ds().header(Tag.Rows, "US", 4).u16(512).bytes(); // 2 of 4 bytes
        DicomException e = assertThrows(DicomException.class,
                () -> DicomReader.defaults().read(HostileInputTest.part10(HostileInputTest.EXPLICIT, dataSet)));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("(0028,0010)"), e.getMessage());
    }

    @Test
    void writtenAndReadBackThroughTheWriterInBothByteOrders() throws Exception {
        for (TransferSyntax ts : new TransferSyntax[] {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN}) {
            DicomObject ds = new DicomObject()
                    .putInts(Tag.Rows, 512)
                    .putInts(Tag.PixelRepresentation, 1) // makes "US or SS" SS in implicit VR
                    .putInts(Tag.SmallestImagePixelValue, VR.SS, -1024)
                    .putInts(Tag.of(0x0009, 0x1012), VR.UL, -1) // 0xFFFFFFFF, unsigned
                    .putLongs(Tag.of(0x0009, 0x1013), VR.SV, Long.MIN_VALUE, 7)
                    .putString(Tag.of(0x0009, 0x1014), VR.AT, "(0010,0020)", "(0028,0010)")
                    .putString(Tag.of(0x0009, 0x1015), VR.US, "1", " 2 ");
            DicomObject back = roundTrip(ds, ts);
            String where = ts.uid();
            assertEquals(512, back.getInt(Tag.Rows, 0), where);
            assertEquals(-1024, back.getInt(Tag.SmallestImagePixelValue, 0), where);
            if (ts.isExplicitVR()) { // implicit VR has no VR for private tags: they read as UN bytes
                assertEquals(0xFFFFFFFFL, back.getLong(Tag.of(0x0009, 0x1012), 0), where);
                assertArrayEquals(new long[] {Long.MIN_VALUE, 7}, back.getLongs(Tag.of(0x0009, 0x1013)), where);
                assertArrayEquals(new String[] {"(0010,0020)", "(0028,0010)"}, back.getStrings(Tag.of(0x0009, 0x1014)), where);
                assertArrayEquals(new int[] {1, 2}, back.getInts(Tag.of(0x0009, 0x1015)), where);
                assertEquals(4294967295.0, back.getDouble(Tag.of(0x0009, 0x1012), 0), where);
            }
        }
    }

    @Test
    void decimalsAreRefusedRatherThanRounded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DicomObject().putDoubles(Tag.Rows, VR.US, 1.5));
        assertEquals("cannot put decimals into US element (0028,0010)", e.getMessage());
        assertNull(TYPE.fromDoubles(VR.US, new double[] {1}, false));
        assertThrows(NumberFormatException.class, () -> new DicomObject().putString(Tag.Rows, VR.US, "1.5"));
    }
}
