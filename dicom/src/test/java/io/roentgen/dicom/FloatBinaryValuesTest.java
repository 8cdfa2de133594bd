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

/** FL OF (4 bytes) and FD OD (8 bytes): every VR names this value type, and its values round-trip. */
class FloatBinaryValuesTest {
    private static final ValueType TYPE = FloatBinaryValues.INSTANCE;
    private static final double[] SPECIAL = {0.0, -0.0, 1.5, -2.75, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE};
    private static final int SLOPE = Tag.of(0x0040, 0x9225); // Real World Value Slope, FD
    private static final int INTERCEPT = Tag.of(0x0040, 0x9224);
    private static final int PRIVATE_FL = Tag.of(0x0009, 0x1030);

    @Test
    void eachFloatVrNamesThisType() {
        for (VR vr : new VR[] {VR.FL, VR.OF, VR.FD, VR.OD}) {
            assertSame(TYPE, vr.valueType(), vr.name());
        }
    }

    @Test
    void specialValuesRoundTripBitForBitInBothByteOrders() {
        for (boolean bigEndian : new boolean[] {false, true}) {
            for (VR vr : new VR[] {VR.FL, VR.OF, VR.FD, VR.OD}) {
                byte[] b = (byte[]) TYPE.fromDoubles(vr, SPECIAL, bigEndian);
                assertEquals(SPECIAL.length * vr.bytesPerValue(), b.length);
                double[] back = TYPE.doubles(viewAtOddOffset(vr, b, bigEndian), Integer.MAX_VALUE);
                for (int k = 0; k < SPECIAL.length; k++) {
                    assertEquals(Double.doubleToLongBits(SPECIAL[k]), Double.doubleToLongBits(back[k]), vr + " " + k);
                }
            }
        }
        // FD keeps what FL rounds.
        byte[] fd = (byte[]) TYPE.fromDoubles(VR.FD, new double[] {Math.PI}, true);
        byte[] fl = (byte[]) TYPE.fromDoubles(VR.FL, new double[] {Math.PI}, true);
        assertEquals(Math.PI, TYPE.doubles(binary(VR.FD, fd, true), 1)[0]);
        assertEquals((float) Math.PI, TYPE.doubles(binary(VR.FL, fl, true), 1)[0]);
        assertArrayEquals(new String[] {"3.1415927"}, TYPE.strings(binary(VR.FL, fl, true), 9));
        assertArrayEquals(new String[] {"3.141592653589793"}, TYPE.strings(binary(VR.FD, fd, true), 9));
    }

    @Test
    void byteOrderIsTheDataSets() {
        byte[] le = {0, 0, (byte) 0xC0, 0x3F}; // 1.5f little endian
        byte[] be = {0x3F, (byte) 0xC0, 0, 0};
        assertEquals(1.5, TYPE.doubles(binary(VR.FL, le, false), 9)[0]);
        assertEquals(1.5, TYPE.doubles(binary(VR.FL, be, true), 9)[0]);
    }

    @Test
    void integersTruncateTowardZeroAndTextParses() {
        byte[] b = (byte[]) TYPE.fromDoubles(VR.FD, new double[] {-2.7, 2.7}, false);
        assertArrayEquals(new long[] {-2, 2}, TYPE.longs(binary(VR.FD, b, false), 9));
        byte[] fromText = (byte[]) TYPE.fromStrings(VR.FL, new String[] {" 0.5 ", "-1e3"}, false);
        assertArrayEquals(new double[] {0.5, -1000}, TYPE.doubles(binary(VR.FL, fromText, false), 9));
        byte[] fromLongs = (byte[]) TYPE.fromLongs(VR.OD, new long[] {1L << 53}, false);
        assertArrayEquals(new long[] {1L << 53}, TYPE.longs(binary(VR.OD, fromLongs, false), 9));
    }

    @Test
    void lengthsThatAreNoMultipleOfTheValueSizeReadTheWholeValuesOnly() throws Exception {
        assertEquals(1, TYPE.doubles(binary(VR.FL, counting(6), false), 9).length, "6 bytes of FL");
        assertEquals(0, TYPE.doubles(binary(VR.FD, counting(4), false), 9).length, "4 bytes of FD");
        assertEquals(1, TYPE.doubles(binary(VR.FD, counting(15), false), 9).length, "15 bytes of FD");
        // From a file: FD of length 4 holds no value, so the getters answer their defaults.
        DicomObject ds = readOne(Tag.of(0x0009, 0x1020), "FD", new byte[] {0, 0, (byte) 0xC0, 0x3F});
        assertEquals(-1.0, ds.getDouble(Tag.of(0x0009, 0x1020), -1.0));
        assertArrayEquals(new double[0], ds.getDoubles(Tag.of(0x0009, 0x1020)));
        assertNull(ds.getString(Tag.of(0x0009, 0x1020)));
        // FL of odd length 5 in a file: one value.
        DicomObject odd = readOne(Tag.of(0x0009, 0x1021), "FL", new byte[] {0, 0, (byte) 0xC0, 0x3F, 9});
        assertArrayEquals(new double[] {1.5}, odd.getDoubles(Tag.of(0x0009, 0x1021)));
    }

    @Test
    void writtenAndReadBackThroughTheWriterInBothByteOrders() throws Exception {
        for (TransferSyntax ts : new TransferSyntax[] {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN}) {
            DicomObject ds = new DicomObject()
                    .putDoubles(PRIVATE_FL, VR.FL, 0.25, 0.5) // no dictionary VR: read back in explicit VR only
                    .putDoubles(SLOPE, 1e-300) // the dictionary's VR: FD
                    .putString(INTERCEPT, VR.FD, "-3.5");
            DicomObject back = roundTrip(ds, ts);
            assertEquals(1e-300, back.getDouble(SLOPE, 0), ts.uid());
            assertEquals(-3.5, back.getDouble(INTERCEPT, 0), ts.uid());
            assertEquals(-3, back.getInt(INTERCEPT, 0), ts.uid());
            if (ts.isExplicitVR()) {
                assertArrayEquals(new double[] {0.25, 0.5}, back.getDoubles(PRIVATE_FL), ts.uid());
                assertArrayEquals(new String[] {"0.25", "0.5"}, back.getStrings(PRIVATE_FL), ts.uid());
            }
        }
    }

    @Test
    void opaqueAndTextVrsAreNotFloats() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DicomObject().putDoubles(Tag.PatientID, VR.LO, 1.5));
        assertEquals("cannot put decimals into LO element (0010,0020)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DicomObject().putDoubles(Tag.PixelData, VR.OB, 1.5));
    }
}
