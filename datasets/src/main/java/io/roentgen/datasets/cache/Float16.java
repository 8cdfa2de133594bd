package io.roentgen.datasets.cache;

/**
 * IEEE 754 binary16 ("half") conversion, written here because {@code Float.floatToFloat16} needs
 * Java 20. Float to half rounds to nearest, ties to even, like hardware and NumPy; overflow gives
 * infinity, NaN stays NaN (quiet, top payload bits kept).
 */
public final class Float16 {
    private static final float[] TO_FLOAT = new float[1 << 16];

    static {
        for (int h = 0; h < TO_FLOAT.length; h++) {
            TO_FLOAT[h] = computeToFloat((short) h);
        }
    }

    private Float16() {}

    /** The half nearest to {@code value}, ties to the even one. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFF_FFFF;
        if (abs >= 0x7F80_0000) {
            // Infinity keeps mantissa 0; NaN is made quiet so that dropping payload bits cannot turn it into infinity.
            return (short) (sign | 0x7C00 | (abs > 0x7F80_0000 ? 0x200 | (abs >>> 13) & 0x3FF : 0));
        }
        if (abs >= 0x477F_F000) {
            return (short) (sign | 0x7C00); // 65520 and above: past the largest half's rounding range
        }
        if (abs >= 0x3880_0000) {
            return (short) (sign | roundNormal(abs));
        }
        if (abs <= 0x3300_0000) {
            return (short) sign; // at most 2^-25: half the smallest subnormal, a tie that goes to zero
        }
        return (short) (sign | roundSubnormal(abs));
    }

    /** The exact float value of a half. */
    public static float toFloat(short half) {
        return TO_FLOAT[half & 0xFFFF];
    }

    /** Converts {@code count} floats from {@code from[offset]} into {@code to[toOffset]}. */
    public static void fromFloats(float[] from, int offset, short[] to, int toOffset, int count) {
        for (int i = 0; i < count; i++) {
            to[toOffset + i] = fromFloat(from[offset + i]);
        }
    }

    /** Converts {@code count} halves from {@code from[offset]} into {@code to[toOffset]}. */
    public static void toFloats(short[] from, int offset, float[] to, int toOffset, int count) {
        for (int i = 0; i < count; i++) {
            to[toOffset + i] = TO_FLOAT[from[offset + i] & 0xFFFF];
        }
    }

    /** A float with a half exponent (2^-14 to 2^15): rebias, drop 13 mantissa bits, round. */
    private static int roundNormal(int abs) {
        int half = (abs - 0x3800_0000) >>> 13;
        int dropped = abs & 0x1FFF;
        if (dropped > 0x1000 || (dropped == 0x1000 && (half & 1) == 1)) {
            half++; // a carry out of the mantissa correctly bumps the exponent
        }
        return half;
    }

    /** A float below 2^-14: the result counts units of 2^-24. */
    private static int roundSubnormal(int abs) {
        int exponent = abs >>> 23;
        int mantissa = (abs & 0x7F_FFFF) | 0x80_0000;
        int shift = 126 - exponent; // value / 2^-24 = mantissa * 2^(exponent - 126)
        int half = mantissa >>> shift;
        int dropped = mantissa & ((1 << shift) - 1);
        int midpoint = 1 << (shift - 1);
        if (dropped > midpoint || (dropped == midpoint && (half & 1) == 1)) {
            half++; // may reach 0x400, the smallest normal, which is also its correct encoding
        }
        return half;
    }

    private static float computeToFloat(short half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1F;
        int mantissa = half & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | mantissa << 13);
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // exact: at most 10 significant bits
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }
}
