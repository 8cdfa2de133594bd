package io.roentgen.dicom;

/**
 * Binary IEEE 754 floats: FL and OF (4 bytes), FD and OD (8 bytes). Integers read as the values
 * truncated toward zero; text is Java's shortest form of the float or double.
 */
final class FloatBinaryValues implements ValueType {
    static final FloatBinaryValues INSTANCE = new FloatBinaryValues();

    private FloatBinaryValues() {}

    @Override
    public String[] strings(RawValue v, int max) {
        double[] d = doubles(v, max);
        boolean single = v.vr().bytesPerValue() == 4;
        String[] r = new String[d.length];
        for (int k = 0; k < d.length; k++) {
            r[k] = single ? Float.toString((float) d[k]) : Double.toString(d[k]);
        }
        return r;
    }

    @Override
    public long[] longs(RawValue v, int max) {
        double[] d = doubles(v, max);
        long[] r = new long[d.length];
        for (int k = 0; k < d.length; k++) {
            r[k] = (long) d[k];
        }
        return r;
    }

    @Override
    public double[] doubles(RawValue v, int max) {
        int unit = v.vr().bytesPerValue();
        byte[] b = v.array();
        double[] r = new double[v.count(unit, max)];
        for (int k = 0; k < r.length; k++) {
            int p = v.offset() + unit * k;
            r[k] = unit == 4 ? Float.intBitsToFloat(Bytes.i32(b, p, v.bigEndian()))
                    : Double.longBitsToDouble(Bytes.i64(b, p, v.bigEndian()));
        }
        return r;
    }

    @Override
    public Object fromStrings(VR vr, String[] values, boolean bigEndian) {
        double[] d = new double[values.length];
        for (int k = 0; k < d.length; k++) {
            d[k] = Double.parseDouble(values[k].strip());
        }
        return fromDoubles(vr, d, bigEndian);
    }

    @Override
    public Object fromLongs(VR vr, long[] values, boolean bigEndian) {
        double[] d = new double[values.length];
        for (int k = 0; k < d.length; k++) {
            d[k] = values[k];
        }
        return fromDoubles(vr, d, bigEndian);
    }

    @Override
    public Object fromDoubles(VR vr, double[] values, boolean bigEndian) {
        int unit = vr.bytesPerValue();
        byte[] b = new byte[values.length * unit];
        for (int k = 0; k < values.length; k++) {
            if (unit == 4) {
                Bytes.put32(b, 4 * k, Float.floatToIntBits((float) values[k]), bigEndian);
            } else {
                Bytes.put64(b, 8 * k, Double.doubleToLongBits(values[k]), bigEndian);
            }
        }
        return b;
    }
}
