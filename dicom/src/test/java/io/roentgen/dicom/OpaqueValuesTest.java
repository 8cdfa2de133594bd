package io.roentgen.dicom;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.roentgen.dicom.ValueTypeFixtures.counting;
import static io.roentgen.dicom.ValueTypeFixtures.readOne;
import static io.roentgen.dicom.ValueTypeFixtures.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link BytesValues} (OB, UN) and {@link SequenceValue} (SQ): values with no text or numbers. */
class OpaqueValuesTest {
    private static final int PRIVATE = Tag.of(0x0009, 0x1040);

    @Test
    void obAndUnNameBytesValuesAndSqNamesSequenceValue() {
        assertSame(BytesValues.INSTANCE, VR.OB.valueType());
        assertSame(BytesValues.INSTANCE, VR.UN.valueType());
        assertSame(SequenceValue.INSTANCE, VR.SQ.valueType());
        for (ValueType type : new ValueType[] {BytesValues.INSTANCE, SequenceValue.INSTANCE}) {
            RawValue v = RawValue.binary(VR.OB, counting(4), 0, 4, false);
            assertArrayEquals(new String[0], type.strings(v, 9));
            assertNull(type.first(v));
            assertNull(type.longs(v, 9));
            assertNull(type.doubles(v, 9));
            assertNull(type.fromStrings(VR.OB, new String[] {"1"}, false));
            assertNull(type.fromLongs(VR.OB, new long[] {1}, false));
            assertNull(type.fromDoubles(VR.OB, new double[] {1}, false));
        }
    }

    @Test
    void obBytesOfOddLengthRoundTripAsTheyAre() throws Exception {
        DicomObject ds = readOne(PRIVATE, "OB", counting(5));
        assertArrayEquals(counting(5), ds.getBytes(PRIVATE));
        assertNull(ds.getString(PRIVATE));
        assertEquals(-1, ds.getInt(PRIVATE, -1));
        assertArrayEquals(new double[0], ds.getDoubles(PRIVATE));
        DicomObject back = roundTrip(new DicomObject().putBytes(PRIVATE, VR.OB, counting(6)),
                TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        assertArrayEquals(counting(6), back.getBytes(PRIVATE), "OB is never byte-swapped");
        assertEquals("cannot put integers into OB element (0009,1040)", assertThrows(IllegalArgumentException.class,
                () -> new DicomObject().putLongs(PRIVATE, VR.OB, 1)).getMessage());
    }

    @Test
    void unReadsWithTheDictionaryVrWhenThereIsOne() throws Exception {
        // Rows as UN: the dictionary says US, so the value type of US reads it.
        DicomObject rows = readOne(Tag.Rows, "UN", new byte[] {0x00, 0x02});
        assertEquals(VR.UN, rows.vr(Tag.Rows));
        assertEquals(512, rows.getInt(Tag.Rows, 0));
        assertEquals("512", rows.getString(Tag.Rows));
        // An unknown private tag as UN: bytes only.
        DicomObject unknown = readOne(PRIVATE, "UN", new byte[] {0x00, 0x02});
        assertEquals(-1, unknown.getInt(PRIVATE, -1));
        assertArrayEquals(new byte[] {0x00, 0x02}, unknown.getBytes(PRIVATE));
    }

    @Test
    void aSequenceHasItemsAndNoValues() throws Exception {
        DicomObject item = new DicomObject().putString(Tag.ReferencedSOPInstanceUID, "1.2.3");
        DicomObject back = roundTrip(new DicomObject().putSequence(Tag.ReferencedImageSequence, item),
                TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        List<DicomObject> items = back.getSequence(Tag.ReferencedImageSequence);
        assertEquals("1.2.3", items.get(0).getString(Tag.ReferencedSOPInstanceUID));
        assertNull(back.getString(Tag.ReferencedImageSequence));
        assertArrayEquals(new long[0], back.getLongs(Tag.ReferencedImageSequence));
        assertNull(back.getBytes(Tag.ReferencedImageSequence));
        assertEquals("cannot put text into SQ element (0008,1140)", assertThrows(IllegalArgumentException.class,
                () -> new DicomObject().putString(Tag.ReferencedImageSequence, VR.SQ, "x")).getMessage());
    }
}
