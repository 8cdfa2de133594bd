package io.roentgen.dicom;

/**
 * One value as a {@link ValueType} reads it: the text of a text VR (already decoded with the
 * Specific Character Set), or a view (array, offset, length) of the bytes of a binary VR in the
 * data set's byte order. A view, not a copy: the array belongs to the data set.
 */
record RawValue(VR vr, String text, byte[] array, int offset, int length, boolean bigEndian) {
    static RawValue text(VR vr, String text) {
        return new RawValue(vr, text, null, 0, 0, false);
    }

    static RawValue binary(VR vr, byte[] array, int offset, int length, boolean bigEndian) {
        return new RawValue(vr, null, array, offset, length, bigEndian);
    }

    /** Whole values of {@code unit} bytes there are, at most {@code max}; a partial last value is ignored. */
    int count(int unit, int max) {
        return Math.min(max, length / unit);
    }
}
