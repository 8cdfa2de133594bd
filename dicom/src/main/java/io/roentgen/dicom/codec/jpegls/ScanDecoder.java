package io.roentgen.dicom.codec.jpegls;

import io.roentgen.dicom.DicomException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decodes the entropy-coded data of one JPEG-LS scan (ITU-T T.87 annex A), one line at a time:
 * context modelling (365 regular contexts, 2 run interruption contexts), regular mode with the
 * MED predictor and bias correction, run mode, limited-length Golomb-Rice codes, near-lossless
 * reconstruction. Single use, not thread-safe; every call allocates nothing.
 *
 * <p>Lines are {@code int[width + 2]} with the samples at 1..width; index 0 and width + 1 are the
 * edge samples T.87 defines (they are set by this class).
 *
 * <p>The bit reader keeps up to 63 bits MSB-first in a {@code long}. It stops in front of the first
 * marker (0xFF followed by a byte with its high bit set) or at the end of the buffer and then
 * supplies zero bits; consuming more than {@link #MAX_VIRTUAL_BITS} of those is an error, and
 * {@link #finish()} refuses a scan that consumed any.
 */
final class ScanDecoder {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** T.87 A.7.1.2, the run-length order for each RUNindex. */
    static final int[] J = {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11,
        12, 13, 14, 15};

    /** Zero bits past the end of the scan data the decoder may read before it calls the stream truncated. */
    static final int MAX_VIRTUAL_BITS = 64;
    /** Bits a scan may leave unused: the padding to a byte boundary, and then some slack. */
    static final int MAX_UNUSED_BITS = 64;
    /**
     * A Golomb parameter a conforming stream cannot reach (it stays at or below qbpp + 1); larger
     * values only come from corrupt data and would overflow the code arithmetic.
     */
    private static final int K_MAX = 24;
    private static final int MIN_C = -128;
    private static final int MAX_C = 127;

    // ---- bit reader ----
    private final byte[] data;
    private final int end;
    private int pos;
    private int nextFF;
    private long cache;
    private int valid;
    private int virtualBits;

    // ---- parameters ----
    private final int maxval;
    private final int near;
    private final int nearMul;
    private final int rangeMul;
    private final int qbpp;
    private final int limit;
    private final int reset;
    private final int escapeRegular;
    private final int maxMappedError;
    private final byte[] qt;
    private final int initialA;

    // ---- context state ----
    private final long[] ctxA = new long[365];
    private final int[] ctxB = new int[365];
    private final int[] ctxC = new int[365];
    private final int[] ctxN = new int[365];
    private final long[] riA = new long[2];
    private final int[] riN = new int[2];
    private final int[] riNn = new int[2];
    int runIndex;

    // scratch for sample-interleaved lines
    private final int[] qs = new int[4];
    private final int[] errs = new int[4];

    ScanDecoder(byte[] data, int start, CodingParameters p) {
        this.data = data;
        this.end = data.length;
        this.maxval = p.maxval;
        this.near = p.near;
        this.nearMul = 2 * p.near + 1;
        this.rangeMul = p.range * nearMul;
        this.qbpp = p.qbpp;
        this.limit = p.limit;
        this.reset = p.reset;
        this.escapeRegular = p.limit - p.qbpp - 1;
        this.maxMappedError = 1 << (p.qbpp + 1);
        this.qt = p.quantisation;
        this.initialA = Math.max(2, (p.range + 32) / 64);
        startBits(start);
        resetContexts();
    }

    private void startBits(int start) {
        pos = start;
        cache = 0;
        valid = 0;
        virtualBits = 0;
        nextFF = findFF(start);
    }

    private void resetContexts() {
        for (int q = 0; q < 365; q++) {
            ctxA[q] = initialA;
            ctxB[q] = 0;
            ctxC[q] = 0;
            ctxN[q] = 1;
        }
        for (int t = 0; t < 2; t++) {
            riA[t] = initialA;
            riN[t] = 1;
            riNn[t] = 0;
        }
        runIndex = 0;
    }

    // =====================================================================================
    // Lines
    // =====================================================================================

    /** Decodes one line of a single component (ILV 0, or one component of an ILV 1 line). */
    void decodeLine(int[] prev, int[] cur, int width) throws DicomException {
        prev[width + 1] = prev[width];
        cur[0] = prev[1];
        final byte[] qt = this.qt;
        final int off = maxval;
        int i = 1;
        int ra = cur[0];
        int rc = prev[0];
        int rb = prev[1];
        while (i <= width) {
            int rd = prev[i + 1];
            int q = (qt[rd - rb + off] * 9 + qt[rb - rc + off]) * 9 + qt[rc - ra + off];
            if (q != 0) {
                ra = regular(q, ra, rb, rc);
                cur[i] = ra;
                i++;
                rc = rb;
                rb = rd;
            } else {
                i = runMode(prev, cur, i, width, ra);
                if (i > width) {
                    break;
                }
                ra = cur[i - 1];
                rc = prev[i - 1];
                rb = prev[i];
            }
        }
    }

    /** Decodes one line of {@code nc} sample-interleaved components (ILV 2). */
    void decodeLineInterleaved(int[][] prev, int[][] cur, int width, int nc) throws DicomException {
        for (int c = 0; c < nc; c++) {
            prev[c][width + 1] = prev[c][width];
            cur[c][0] = prev[c][1];
        }
        final byte[] qt = this.qt;
        final int off = maxval;
        final int[] qs = this.qs;
        int i = 1;
        while (i <= width) {
            int any = 0;
            for (int c = 0; c < nc; c++) {
                int[] p = prev[c];
                int ra = cur[c][i - 1];
                int rb = p[i];
                int rc = p[i - 1];
                int rd = p[i + 1];
                int q = (qt[rd - rb + off] * 9 + qt[rb - rc + off]) * 9 + qt[rc - ra + off];
                qs[c] = q;
                any |= q;
            }
            if (any != 0) {
                for (int c = 0; c < nc; c++) {
                    int[] p = prev[c];
                    int[] x = cur[c];
                    x[i] = regular(qs[c], x[i - 1], p[i], p[i - 1]);
                }
                i++;
            } else {
                i = runModeInterleaved(prev, cur, i, width, nc);
            }
        }
    }

    // =====================================================================================
    // Regular mode (T.87 A.4 - A.6)
    // =====================================================================================

    private int regular(int q, int ra, int rb, int rc) throws DicomException {
        int sign = q >> 31;
        q = (q ^ sign) - sign;

        int px;
        if (rc >= Math.max(ra, rb)) {
            px = Math.min(ra, rb);
        } else if (rc <= Math.min(ra, rb)) {
            px = Math.max(ra, rb);
        } else {
            px = ra + rb - rc;
        }
        int c = ctxC[q];
        px += (c ^ sign) - sign;
        if (px < 0) {
            px = 0;
        } else if (px > maxval) {
            px = maxval;
        }

        int n = ctxN[q];
        long a = ctxA[q];
        int k = golombParameter(n, a);
        if (k > K_MAX) {
            throw corrupt("Golomb parameter out of range");
        }
        int mapped = golomb(k, escapeRegular);
        int err = (mapped >>> 1) ^ -(mapped & 1);
        int b = ctxB[q];
        if ((k | near) == 0 && 2 * b + n - 1 < 0) {
            err = ~err;
        }

        // A.6.1 variables update, A.6.2 bias correction
        b += err * nearMul;
        a += Math.abs(err);
        if (n == reset) {
            a >>= 1;
            b >>= 1;
            n >>= 1;
        }
        n++;
        if (b + n <= 0) {
            b += n;
            if (b <= -n) {
                b = -n + 1;
            }
            if (c > MIN_C) {
                c--;
            }
        } else if (b > 0) {
            b -= n;
            if (b > 0) {
                b = 0;
            }
            if (c < MAX_C) {
                c++;
            }
        }
        ctxA[q] = a;
        ctxB[q] = b;
        ctxC[q] = c;
        ctxN[q] = n;

        err = (err ^ sign) - sign;
        return reconstruct(px, err);
    }

    /** The smallest k with n * 2^k >= a (T.87 A.5.1), for n >= 1. */
    private static int golombParameter(int n, long a) {
        int k = Math.max(0, Long.numberOfLeadingZeros(n) - Long.numberOfLeadingZeros(a));
        return ((long) n << k) < a ? k + 1 : k;
    }

    /** T.87 A.8 / A.4.4: reconstruction with modulo reduction and clamping. */
    private int reconstruct(int px, int err) {
        int rx = px + err * nearMul;
        if (rx < -near) {
            rx += rangeMul;
        } else if (rx > maxval + near) {
            rx -= rangeMul;
        }
        if (rx < 0) {
            return 0;
        }
        return Math.min(rx, maxval);
    }

    // =====================================================================================
    // Run mode (T.87 A.7)
    // =====================================================================================

    /** Decodes a run starting at {@code i} and its interruption sample; returns the next index. */
    private int runMode(int[] prev, int[] cur, int i, int width, int ra) throws DicomException {
        int count = runLength(width - i + 1);
        int stop = i + count;
        for (int x = i; x < stop; x++) {
            cur[x] = ra;
        }
        if (stop > width) {
            return stop;
        }
        int rb = prev[stop];
        if (Math.abs(ra - rb) <= near) {
            cur[stop] = reconstruct(ra, interruptionError(1));
        } else {
            int err = interruptionError(0);
            cur[stop] = reconstruct(rb, rb > ra ? err : -err);
        }
        if (runIndex > 0) {
            runIndex--;
        }
        return stop + 1;
    }

    private int runModeInterleaved(int[][] prev, int[][] cur, int i, int width, int nc) throws DicomException {
        int count = runLength(width - i + 1);
        int stop = i + count;
        for (int c = 0; c < nc; c++) {
            int[] x = cur[c];
            int ra = x[i - 1];
            for (int s = i; s < stop; s++) {
                x[s] = ra;
            }
        }
        if (stop > width) {
            return stop;
        }
        // sample interleaving: every component of the interruption pixel uses context 0 and
        // predicts from Rb, the sign taken from Rb - Ra with sign(0) = +1 (as CharLS does)
        for (int c = 0; c < nc; c++) {
            errs[c] = interruptionError(0);
        }
        for (int c = 0; c < nc; c++) {
            int[] x = cur[c];
            int ra = x[stop - 1];
            int rb = prev[c][stop];
            x[stop] = reconstruct(rb, rb >= ra ? errs[c] : -errs[c]);
        }
        if (runIndex > 0) {
            runIndex--;
        }
        return stop + 1;
    }

    /**
     * Reads the run length (T.87 A.7.1.2, decoder side) for a run of at most {@code remaining}
     * samples. A result equal to {@code remaining} means the run reached the end of the line.
     */
    private int runLength(int remaining) throws DicomException {
        int count = 0;
        for (;;) {
            if (valid == 0) {
                fill();
            }
            boolean one = cache < 0;
            cache <<= 1;
            valid--;
            if (one) {
                int r = 1 << J[runIndex];
                int step = Math.min(r, remaining - count);
                count += step;
                if (step == r && runIndex < 31) {
                    runIndex++;
                }
                if (count == remaining) {
                    return count;
                }
            } else {
                int j = J[runIndex];
                if (j > 0) {
                    count += readBits(j);
                }
                if (count > remaining) {
                    throw corrupt("run longer than the line");
                }
                return count;
            }
        }
    }

    /** T.87 A.7.2: the error of a run interruption sample of type {@code t} (RItype). */
    private int interruptionError(int t) throws DicomException {
        int n = riN[t];
        long a = riA[t];
        long temp = a + (long) (n >> 1) * t;
        int k = golombParameter(n, temp);
        if (k > K_MAX) {
            throw corrupt("Golomb parameter out of range");
        }
        int mapped = golomb(k, limit - J[runIndex] - 1 - qbpp - 1);
        int tmp = mapped + t;
        int map = tmp & 1;
        int abs = (tmp + map) >> 1;
        int nn = riNn[t];
        int err = ((k != 0 || 2 * nn >= n) == (map != 0)) ? -abs : abs;
        if (err < 0) {
            nn++;
        }
        a += (mapped + 1 - t) >> 1;
        if (n == reset) {
            a >>= 1;
            n >>= 1;
            nn >>= 1;
        }
        riA[t] = a;
        riN[t] = n + 1;
        riNn[t] = nn;
        return err;
    }

    // =====================================================================================
    // Golomb-Rice codes with limited length (T.87 A.5.3)
    // =====================================================================================

    /**
     * Reads a mapped error value coded with parameter {@code k}; {@code escape} is the unary prefix
     * length (LIMIT - qbpp - 1) that announces qbpp plain bits.
     */
    private int golomb(int k, int escape) throws DicomException {
        if (valid < 32) {
            fill();
        }
        long c = cache;
        int hb = Long.numberOfLeadingZeros(c);
        int len = hb + 1 + k;
        if (hb < escape & len <= valid) {
            cache = c << len;
            valid -= len;
            int value = (hb << k) | (int) ((c << hb << 1) >>> (63 - k) >>> 1);
            if (value > maxMappedError) {
                throw corrupt("mapped error value out of range");
            }
            return value;
        }
        return golombSlow(k, escape);
    }

    private int golombSlow(int k, int escape) throws DicomException {
        int hb = readHighBits(escape);
        int value;
        if (hb == escape) {
            value = readBits(qbpp) + 1;
        } else {
            value = (hb << k) | (k == 0 ? 0 : readBits(k));
        }
        if (value > maxMappedError) {
            throw corrupt("mapped error value out of range");
        }
        return value;
    }

    /** Counts zero bits up to and including the next one bit; more than {@code max} zeros is corrupt. */
    private int readHighBits(int max) throws DicomException {
        int count = 0;
        for (;;) {
            if (valid < 32) {
                fill();
            }
            int z = Long.numberOfLeadingZeros(cache);
            if (z < valid) {
                count += z;
                if (count > max) {
                    throw corrupt("Golomb code longer than LIMIT");
                }
                cache <<= z + 1;
                valid -= z + 1;
                return count;
            }
            count += valid;
            cache = 0;
            valid = 0;
            if (count > max) {
                throw corrupt("Golomb code longer than LIMIT");
            }
        }
    }

    /** Reads 1..32 bits. */
    private int readBits(int n) throws DicomException {
        if (valid < n) {
            fill();
        }
        int v = (int) (cache >>> (64 - n));
        cache <<= n;
        valid -= n;
        return v;
    }

    // =====================================================================================
    // Bit reader
    // =====================================================================================

    private void fill() throws DicomException {
        // fast path: the next 8 bytes hold no 0xFF, so no bit stuffing and no marker
        if (pos + 8 <= nextFF) {
            long v = (long) LONG_BE.get(data, pos);
            int bytes = (63 - valid) >>> 3;
            cache |= v >>> valid;
            pos += bytes;
            valid += bytes << 3;
            return;
        }
        fillSlow();
    }

    private void fillSlow() throws DicomException {
        while (valid <= 55) {
            if (pos >= end) {
                zeroFill();
                return;
            }
            int b = data[pos] & 0xFF;
            if (b == 0xFF) {
                if (pos + 1 >= end || (data[pos + 1] & 0x80) != 0) {
                    zeroFill(); // a marker: the end of this scan's (or restart interval's) data
                    return;
                }
                // the next byte's high bit is a stuffed 0, overlapping this byte's last bit
                cache |= 0xFFL << (56 - valid);
                valid += 7;
            } else {
                cache |= (long) b << (56 - valid);
                valid += 8;
            }
            pos++;
        }
        nextFF = findFF(pos);
    }

    private void zeroFill() throws DicomException {
        if (virtualBits - valid > MAX_VIRTUAL_BITS) {
            throw new DicomException("JPEG-LS: compressed data ends before the image is complete (byte " + pos + ")");
        }
        cache &= valid == 0 ? 0 : -1L << (64 - valid);
        virtualBits += 63 - valid;
        valid = 63;
    }

    private int findFF(int from) {
        final byte[] d = data;
        for (int i = from; i < end; i++) {
            if (d[i] == (byte) 0xFF) {
                return i;
            }
        }
        return end;
    }

    // =====================================================================================
    // Scan boundaries
    // =====================================================================================

    /**
     * Refuses a scan (or restart interval) that used bits past its end, or left more than
     * {@link #MAX_UNUSED_BITS} unused: encoders leave only the padding to a byte boundary, so
     * either means the decoder lost step with the encoder (corrupt data, wrong parameters).
     */
    void finish() throws DicomException {
        if (virtualBits - valid > 0) {
            throw new DicomException("JPEG-LS: compressed data ends before the image is complete (byte " + pos + ")");
        }
        long unused = unusedBits();
        if (unused > MAX_UNUSED_BITS) {
            throw new DicomException("JPEG-LS: corrupt compressed data, " + (unused / 8)
                    + " bytes left over at the end of the scan (byte " + markerPosition() + ")");
        }
    }

    /** Real (not zero-filled) bits of this scan that the decoder did not use. */
    long unusedBits() {
        int realInCache = valid - Math.min(valid, virtualBits);
        return realInCache + 8L * (markerPosition() - pos);
    }

    /**
     * The offset of the marker that follows this scan's data (0xFF followed by a byte of 0x80 or
     * more), or the end of the buffer.
     */
    int markerPosition() {
        for (int i = pos; i + 1 < end; i++) {
            if (data[i] == (byte) 0xFF && (data[i + 1] & 0x80) != 0) {
                return i;
            }
        }
        return end;
    }

    /**
     * Consumes the RSTm marker that must follow a restart interval and resets the coder state
     * (T.87 D.2.2: every restart interval is coded as a fresh start).
     */
    void restart(int m) throws DicomException {
        finish();
        int at = markerPosition();
        int i = at;
        while (i + 1 < end && data[i + 1] == (byte) 0xFF) {
            i++;
        }
        if (i + 1 >= end) {
            throw new DicomException("JPEG-LS: missing restart marker RST" + m + " (byte " + at + ")");
        }
        int marker = data[i + 1] & 0xFF;
        if (marker != 0xD0 + m) {
            throw new DicomException(String.format("JPEG-LS: expected restart marker RST%d, found 0xFF%02X at byte %d",
                    m, marker, i));
        }
        startBits(i + 2);
        resetContexts();
    }

    private DicomException corrupt(String what) {
        if (virtualBits - valid > 0) {
            return new DicomException("JPEG-LS: compressed data ends before the image is complete (byte " + pos
                    + "; then " + what + ")");
        }
        return new DicomException("JPEG-LS: corrupt compressed data, " + what + " (near byte " + pos + ")");
    }
}
