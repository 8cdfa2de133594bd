package io.roentgen.dicom;

/**
 * Binary integers: US SS UL SL UV SV, the OW OL OV words, and AT (a tag as two 16-bit halves,
 * group first). Unsigned VRs read as non-negative longs (UV/OV above 2^63 as their two's
 * complement, printed unsigned); text is the decimal form, or "(gggg,eeee)" for AT.
 */
final class IntegerBinaryValues implements ValueType {
    static final IntegerBinaryValues INSTANCE = new IntegerBinaryValues();

    private IntegerBinaryValues() {}

    /** Bytes per value: AT's halves swap as 16-bit words, but a value is the 4-byte tag. */
    static int unit(VR vr) {
        return vr == VR.AT ? 4 : vr.bytesPerValue();
    }

    @Override
    public String[] strings(RawValue v, int max) {
        long[] l = longs(v, max);
        String[] r = new String[l.length];
        for (int k = 0; k < l.length; k++) {
            r[k] = v.vr() == VR.AT ? Tag.toString((int) l[k]) : isUnsigned64(v.vr()) ? Long.toUnsignedString(l[k])
                    : Long.toString(l[k]);
        }
        return r;
    }

    @Override
    public long[] longs(RawValue v, int max) {
        VR vr = v.vr();
        byte[] b = v.array();
        boolean be = v.bigEndian();
        int unit = unit(vr);
        long[] r = new long[v.count(unit, max)];
        for (int k = 0; k < r.length; k++) {
            int p = v.offset() + k * unit;
            r[k] = switch (vr) {
                case SS -> Bytes.i16(b, p, be);
                case US, OW -> Bytes.u16(b, p, be);
                case SL -> Bytes.i32(b, p, be);
                case UL, OL -> Bytes.i32(b, p, be) & 0xFFFFFFFFL;
                case AT -> (long) Bytes.u16(b, p, be) << 16 | Bytes.u16(b, p + 2, be);
                default -> Bytes.i64(b, p, be);
            };
        }
        return r;
    }

    @Override
    public double[] doubles(RawValue v, int max) {
        long[] l = longs(v, max);
        double[] r = new double[l.length];
        for (int k = 0; k < l.length; k++) {
            r[k] = isUnsigned64(v.vr()) && l[k] < 0 ? unsignedToDouble(l[k]) : l[k];
        }
        return r;
    }

    /** Numbers given as text ("512", AT as "(0010,0020)" or "00100020"). */
    @Override
    public Object fromStrings(VR vr, String[] values, boolean bigEndian) {
        long[] l = new long[values.length];
        for (int k = 0; k < l.length; k++) {
            l[k] = vr == VR.AT ? Tag.parse(values[k]) & 0xFFFFFFFFL : Long.parseLong(values[k].strip());
        }
        return fromLongs(vr, l, bigEndian);
    }

    @Override
    public Object fromLongs(VR vr, long[] values, boolean bigEndian) {
        int unit = unit(vr);
        byte[] b = new byte[values.length * unit];
        for (int k = 0; k < values.length; k++) {
            long v = values[k];
            int p = k * unit;
            if (vr == VR.AT) {
                Bytes.put16(b, p, (int) (v >>> 16), bigEndian);
                Bytes.put16(b, p + 2, (int) v, bigEndian);
            } else if (unit == 2) {
                Bytes.put16(b, p, (int) v, bigEndian);
            } else if (unit == 4) {
                Bytes.put32(b, p, (int) v, bigEndian);
            } else {
                Bytes.put64(b, p, v, bigEndian);
            }
        }
        return b;
    }

    /** Binary integers take no decimals: putting 1.5 into US would have to round silently. */
    @Override
    public Object fromDoubles(VR vr, double[] values, boolean bigEndian) {
        return null;
    }

    private static boolean isUnsigned64(VR vr) {
        return vr == VR.UV || vr == VR.OV;
    }

    private static double unsignedToDouble(long v) {
        return (double) (v >>> 1) * 2.0 + (v & 1);
    }
}
