package io.roentgen.dicom.pixel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 16-bit storage of {@link Frame}: same values as ints, widened once, record-like equality. */
class FrameTest {
    private static final short[] RAW = {0, 1, 4095, (short) 0x8000, (short) 0xFFFF, -2};

    @Test
    void unsignedShortsReadAsTheirUnsignedValue() {
        Frame f = Frame.ofShorts(2, 3, 1, 16, 16, false, "monochrome2", RAW);
        assertArrayEquals(new int[] {0, 1, 4095, 32768, 65535, 65534}, f.samples());
        assertEquals(65535, f.sample(4));
        assertEquals(65534L, f.sampleAsLong(5));
        assertEquals("MONOCHROME2", f.photometric());
        assertSame(RAW, f.shortSamples());
    }

    @Test
    void signedShortsReadAsTheirSignedValue() {
        Frame f = Frame.ofShorts(2, 3, 1, 16, 16, true, "MONOCHROME2", RAW);
        assertArrayEquals(new int[] {0, 1, 4095, -32768, -1, -2}, f.samples());
        assertEquals(-32768, f.sample(3));
    }

    @Test
    void samplesAreWidenedOnceAndKept() {
        Frame f = Frame.ofShorts(2, 3, 1, 16, 16, false, "MONOCHROME2", RAW);
        assertSame(f.samples(), f.samples());
    }

    @Test
    void sameValuesWhateverTheStorage() {
        Frame shorts = Frame.ofShorts(2, 3, 1, 16, 16, true, "MONOCHROME2", RAW);
        Frame ints = new Frame(2, 3, 1, 16, 16, true, "MONOCHROME2", new int[] {0, 1, 4095, -32768, -1, -2});
        assertTrue(shorts.sameValues(ints));
        assertTrue(ints.sameValues(shorts));
        assertTrue(shorts.sameValues(Frame.ofShorts(2, 3, 1, 16, 16, true, "MONOCHROME2", RAW.clone())));
        assertFalse(shorts.sameValues(Frame.ofShorts(2, 3, 1, 16, 16, false, "MONOCHROME2", RAW)));
        assertNull(ints.shortSamples());
    }

    @Test
    void equalityComparesTheArrayByIdentityAsARecordWould() {
        int[] values = {1, 2, 3, 4};
        Frame a = new Frame(2, 2, 1, 16, 12, false, "MONOCHROME2", values);
        assertEquals(a, new Frame(2, 2, 1, 16, 12, false, "MONOCHROME2", values));
        assertEquals(a.hashCode(), new Frame(2, 2, 1, 16, 12, false, "MONOCHROME2", values).hashCode());
        assertNotEquals(a, new Frame(2, 2, 1, 16, 12, false, "MONOCHROME2", values.clone()));
        Frame s = Frame.ofShorts(2, 3, 1, 16, 16, false, "MONOCHROME2", RAW);
        assertEquals(s, Frame.ofShorts(2, 3, 1, 16, 16, false, "MONOCHROME2", RAW));
    }

    @Test
    void shortStorageIsCheckedLikeInts() {
        assertThrows(IllegalArgumentException.class,
                () -> Frame.ofShorts(2, 2, 1, 16, 16, false, "MONOCHROME2", RAW));
        assertThrows(IllegalArgumentException.class,
                () -> Frame.ofShorts(2, 3, 1, 32, 17, false, "MONOCHROME2", RAW));
        assertThrows(IllegalArgumentException.class,
                () -> Frame.ofShorts(2, 3, 1, 16, 16, false, "MONOCHROME2", null));
    }
}
