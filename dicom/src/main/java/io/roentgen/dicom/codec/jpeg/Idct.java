package io.roentgen.dicom.codec.jpeg;

/**
 * The accurate integer inverse DCT of the IJG library ("islow", the Loeffler-Ligtenberg-Moschytz
 * algorithm with 13-bit fixed-point constants), the default of dcmtk's and GDCM's decoders, so
 * lossy frames decode to the same samples as theirs. Dequantisation is folded in. Precision 8 uses
 * 2 extra bits between the passes, precision 12 uses 1 (as IJG's 12-bit build does).
 */
final class Idct {
    private static final int CONST_BITS = 13;
    private static final int FIX_0_298631336 = 2446;
    private static final int FIX_0_390180644 = 3196;
    private static final int FIX_0_541196100 = 4433;
    private static final int FIX_0_765366865 = 6270;
    private static final int FIX_0_899976223 = 7373;
    private static final int FIX_1_175875602 = 9633;
    private static final int FIX_1_501321110 = 12299;
    private static final int FIX_1_847759065 = 15137;
    private static final int FIX_1_961570560 = 16069;
    private static final int FIX_2_053119869 = 16819;
    private static final int FIX_2_562915447 = 20995;
    private static final int FIX_3_072711026 = 25172;

    private final int pass1Bits;
    private final int center;
    private final int max;
    private final int[] ws = new int[64];

    /** @param precision 8 or 12 */
    Idct(int precision) {
        this.pass1Bits = precision == 8 ? 2 : 1;
        this.center = 1 << (precision - 1);
        this.max = (1 << precision) - 1;
    }

    /**
     * @param coef  the block's coefficients in natural (row-major) order, not dequantised
     * @param q     the quantisation table in natural order
     * @param out   the component plane
     * @param off   index in {@code out} of the block's top-left sample
     * @param stride plane width
     */
    void transform(int[] coef, int[] q, short[] out, int off, int stride) {
        final int[] w = ws;
        final int p1 = pass1Bits;
        final int shift1 = CONST_BITS - p1;
        final int round1 = 1 << (shift1 - 1);
        for (int c = 0; c < 8; c++) {
            if (coef[8 + c] == 0 && coef[16 + c] == 0 && coef[24 + c] == 0 && coef[32 + c] == 0
                    && coef[40 + c] == 0 && coef[48 + c] == 0 && coef[56 + c] == 0) {
                int dc = (coef[c] * q[c]) << p1;
                w[c] = dc;
                w[8 + c] = dc;
                w[16 + c] = dc;
                w[24 + c] = dc;
                w[32 + c] = dc;
                w[40 + c] = dc;
                w[48 + c] = dc;
                w[56 + c] = dc;
                continue;
            }
            // Even part.
            int z2 = coef[16 + c] * q[16 + c];
            int z3 = coef[48 + c] * q[48 + c];
            int z1 = (z2 + z3) * FIX_0_541196100;
            int tmp2 = z1 + z3 * -FIX_1_847759065;
            int tmp3 = z1 + z2 * FIX_0_765366865;
            z2 = coef[c] * q[c];
            z3 = coef[32 + c] * q[32 + c];
            int tmp0 = (z2 + z3) << CONST_BITS;
            int tmp1 = (z2 - z3) << CONST_BITS;
            int tmp10 = tmp0 + tmp3;
            int tmp13 = tmp0 - tmp3;
            int tmp11 = tmp1 + tmp2;
            int tmp12 = tmp1 - tmp2;
            // Odd part.
            tmp0 = coef[56 + c] * q[56 + c];
            tmp1 = coef[40 + c] * q[40 + c];
            tmp2 = coef[24 + c] * q[24 + c];
            tmp3 = coef[8 + c] * q[8 + c];
            z1 = tmp0 + tmp3;
            z2 = tmp1 + tmp2;
            z3 = tmp0 + tmp2;
            int z4 = tmp1 + tmp3;
            int z5 = (z3 + z4) * FIX_1_175875602;
            tmp0 = tmp0 * FIX_0_298631336;
            tmp1 = tmp1 * FIX_2_053119869;
            tmp2 = tmp2 * FIX_3_072711026;
            tmp3 = tmp3 * FIX_1_501321110;
            z1 = z1 * -FIX_0_899976223;
            z2 = z2 * -FIX_2_562915447;
            z3 = z3 * -FIX_1_961570560;
            z4 = z4 * -FIX_0_390180644;
            z3 += z5;
            z4 += z5;
            tmp0 += z1 + z3;
            tmp1 += z2 + z4;
            tmp2 += z2 + z3;
            tmp3 += z1 + z4;
            w[c] = (tmp10 + tmp3 + round1) >> shift1;
            w[56 + c] = (tmp10 - tmp3 + round1) >> shift1;
            w[8 + c] = (tmp11 + tmp2 + round1) >> shift1;
            w[48 + c] = (tmp11 - tmp2 + round1) >> shift1;
            w[16 + c] = (tmp12 + tmp1 + round1) >> shift1;
            w[40 + c] = (tmp12 - tmp1 + round1) >> shift1;
            w[24 + c] = (tmp13 + tmp0 + round1) >> shift1;
            w[32 + c] = (tmp13 - tmp0 + round1) >> shift1;
        }
        final int shift2 = CONST_BITS + p1 + 3;
        final int round2 = 1 << (shift2 - 1);
        final int dcShift = p1 + 3;
        final int dcRound = 1 << (dcShift - 1);
        final int ctr = center;
        final int mx = max;
        for (int r = 0; r < 8; r++) {
            int i = r * 8;
            int o = off + r * stride;
            if (w[i + 1] == 0 && w[i + 2] == 0 && w[i + 3] == 0 && w[i + 4] == 0 && w[i + 5] == 0
                    && w[i + 6] == 0 && w[i + 7] == 0) {
                short v = clamp(((w[i] + dcRound) >> dcShift) + ctr, mx);
                out[o] = v;
                out[o + 1] = v;
                out[o + 2] = v;
                out[o + 3] = v;
                out[o + 4] = v;
                out[o + 5] = v;
                out[o + 6] = v;
                out[o + 7] = v;
                continue;
            }
            int z2 = w[i + 2];
            int z3 = w[i + 6];
            int z1 = (z2 + z3) * FIX_0_541196100;
            int tmp2 = z1 + z3 * -FIX_1_847759065;
            int tmp3 = z1 + z2 * FIX_0_765366865;
            int tmp0 = (w[i] + w[i + 4]) << CONST_BITS;
            int tmp1 = (w[i] - w[i + 4]) << CONST_BITS;
            int tmp10 = tmp0 + tmp3;
            int tmp13 = tmp0 - tmp3;
            int tmp11 = tmp1 + tmp2;
            int tmp12 = tmp1 - tmp2;
            tmp0 = w[i + 7];
            tmp1 = w[i + 5];
            tmp2 = w[i + 3];
            tmp3 = w[i + 1];
            z1 = tmp0 + tmp3;
            z2 = tmp1 + tmp2;
            z3 = tmp0 + tmp2;
            int z4 = tmp1 + tmp3;
            int z5 = (z3 + z4) * FIX_1_175875602;
            tmp0 = tmp0 * FIX_0_298631336;
            tmp1 = tmp1 * FIX_2_053119869;
            tmp2 = tmp2 * FIX_3_072711026;
            tmp3 = tmp3 * FIX_1_501321110;
            z1 = z1 * -FIX_0_899976223;
            z2 = z2 * -FIX_2_562915447;
            z3 = z3 * -FIX_1_961570560;
            z4 = z4 * -FIX_0_390180644;
            z3 += z5;
            z4 += z5;
            tmp0 += z1 + z3;
            tmp1 += z2 + z4;
            tmp2 += z2 + z3;
            tmp3 += z1 + z4;
            out[o] = clamp(((tmp10 + tmp3 + round2) >> shift2) + ctr, mx);
            out[o + 7] = clamp(((tmp10 - tmp3 + round2) >> shift2) + ctr, mx);
            out[o + 1] = clamp(((tmp11 + tmp2 + round2) >> shift2) + ctr, mx);
            out[o + 6] = clamp(((tmp11 - tmp2 + round2) >> shift2) + ctr, mx);
            out[o + 2] = clamp(((tmp12 + tmp1 + round2) >> shift2) + ctr, mx);
            out[o + 5] = clamp(((tmp12 - tmp1 + round2) >> shift2) + ctr, mx);
            out[o + 3] = clamp(((tmp13 + tmp0 + round2) >> shift2) + ctr, mx);
            out[o + 4] = clamp(((tmp13 - tmp0 + round2) >> shift2) + ctr, mx);
        }
    }

    /** A block with only a DC coefficient: every sample is the same. */
    void transformDcOnly(int dc, int q0, short[] out, int off, int stride) {
        int p1 = pass1Bits;
        int v0 = (dc * q0) << p1;
        int dcShift = p1 + 3;
        short v = clamp(((v0 + (1 << (dcShift - 1))) >> dcShift) + center, max);
        for (int r = 0; r < 8; r++) {
            int o = off + r * stride;
            out[o] = v;
            out[o + 1] = v;
            out[o + 2] = v;
            out[o + 3] = v;
            out[o + 4] = v;
            out[o + 5] = v;
            out[o + 6] = v;
            out[o + 7] = v;
        }
    }

    private static short clamp(int v, int max) {
        return (short) (v < 0 ? 0 : (v > max ? max : v));
    }
}
