package io.roentgen.dicom;

/**
 * How the values of one family of VRs are decoded to and encoded from Java values; each {@link VR}
 * names its value type, as dcm4che's {@code VR}/{@code ValueType} do. {@link DicomObject} stores
 * elements and delegates every conversion here, so decoding rules live in one small class per
 * family instead of in switches over VRs.
 *
 * <p>Decoding never fails: a value that holds no numbers, or text that does not parse, gives
 * null (the getters then answer their default); a partial last binary value is ignored.
 * Encoding answers null when the family cannot hold such values (the caller names the element in
 * its error).
 */
interface ValueType {
    /** The first value as text, trimmed; null when there is none or it is empty. */
    default String first(RawValue v) {
        String[] s = strings(v, 1);
        return s.length == 0 ? null : s[0];
    }

    /** Up to {@code max} values as text (all values of text VRs); empty when there are none. */
    String[] strings(RawValue v, int max);

    /** Up to {@code max} values as integers, or null when the value holds none or does not parse. */
    long[] longs(RawValue v, int max);

    /** Up to {@code max} values as decimals, or null when the value holds none or does not parse. */
    double[] doubles(RawValue v, int max);

    /** The stored form (a String or the encoded bytes) of values given as text, or null. */
    Object fromStrings(VR vr, String[] values, boolean bigEndian);

    /** The stored form of integers, or null. */
    Object fromLongs(VR vr, long[] values, boolean bigEndian);

    /** The stored form of decimals, or null. */
    Object fromDoubles(VR vr, double[] values, boolean bigEndian);

    /** Value types that hold no numbers or text: OB, UN and SQ. */
    abstract class NoValues implements ValueType {
        @Override
        public String[] strings(RawValue v, int max) {
            return new String[0];
        }

        @Override
        public long[] longs(RawValue v, int max) {
            return null;
        }

        @Override
        public double[] doubles(RawValue v, int max) {
            return null;
        }

        @Override
        public Object fromStrings(VR vr, String[] values, boolean bigEndian) {
            return null;
        }

        @Override
        public Object fromLongs(VR vr, long[] values, boolean bigEndian) {
            return null;
        }

        @Override
        public Object fromDoubles(VR vr, double[] values, boolean bigEndian) {
            return null;
        }
    }
}
