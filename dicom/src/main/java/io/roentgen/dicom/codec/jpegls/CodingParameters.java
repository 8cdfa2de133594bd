package io.roentgen.dicom.codec.jpegls;

import io.roentgen.dicom.DicomException;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The coding parameters of one JPEG-LS scan (ITU-T T.87 annex C.2.4.1): MAXVAL, NEAR, the
 * gradient thresholds T1..T3, RESET, and everything derived from them (RANGE, qbpp, LIMIT, the
 * gradient quantisation table). Immutable.
 */
final class CodingParameters {
    static final int BASIC_T1 = 3;
    static final int BASIC_T2 = 7;
    static final int BASIC_T3 = 21;
    static final int DEFAULT_RESET = 64;

    /** Gradient quantisation tables, shared between scans and threads (they are never written). */
    private static final ConcurrentHashMap<TableKey, byte[]> QUANTISATION_TABLES = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_TABLES = 32;

    final int maxval;
    final int near;
    final int t1;
    final int t2;
    final int t3;
    final int reset;
    final int range;
    final int qbpp;
    final int bpp;
    final int limit;
    /**
     * Q(d) in -4..4 for a local gradient d in [-maxval, maxval], stored at index d + maxval.
     */
    final byte[] quantisation;

    private CodingParameters(int maxval, int near, int t1, int t2, int t3, int reset) {
        this.maxval = maxval;
        this.near = near;
        this.t1 = t1;
        this.t2 = t2;
        this.t3 = t3;
        this.reset = reset;
        this.range = near == 0 ? maxval + 1 : (maxval + 2 * near) / (2 * near + 1) + 1;
        this.qbpp = ceilLog2(range);
        this.bpp = Math.max(2, ceilLog2(maxval + 1));
        this.limit = 2 * (bpp + Math.max(8, bpp));
        this.quantisation = quantisationTable(maxval, near, t1, t2, t3);
    }

    /**
     * Resolves the parameters of a scan.
     *
     * @param precision   P of the frame header, 2..16
     * @param presetMaxval MAXVAL of an LSE id 1 segment, 0 when absent or default
     * @param presetT1    T1 of the LSE segment, 0 for the default (likewise T2, T3, RESET)
     */
    static CodingParameters resolve(int precision, int near, int presetMaxval, int presetT1, int presetT2,
            int presetT3, int presetReset, boolean charLs1Defaults) throws DicomException {
        int maxval = presetMaxval != 0 ? presetMaxval : (1 << precision) - 1;
        if (maxval < 1 || maxval > (1 << precision) - 1) {
            throw new DicomException("JPEG-LS: MAXVAL " + maxval + " out of range for precision " + precision);
        }
        if (near < 0 || near > Math.min(255, maxval / 2)) {
            throw new DicomException("JPEG-LS: NEAR " + near + " out of range for MAXVAL " + maxval);
        }
        int[] defaults = charLs1Defaults ? charLs1Thresholds(maxval, near) : defaultThresholds(maxval, near);
        int t1 = presetT1 != 0 ? presetT1 : defaults[0];
        int t2 = presetT2 != 0 ? presetT2 : defaults[1];
        int t3 = presetT3 != 0 ? presetT3 : defaults[2];
        int reset = presetReset != 0 ? presetReset : DEFAULT_RESET;
        if (t1 < near + 1 || t1 > maxval || t2 < t1 || t2 > maxval || t3 < t2 || t3 > maxval) {
            throw new DicomException("JPEG-LS: invalid thresholds T1=" + t1 + " T2=" + t2 + " T3=" + t3
                    + " for MAXVAL " + maxval + ", NEAR " + near);
        }
        if (reset < 3 || reset > Math.max(255, maxval)) {
            throw new DicomException("JPEG-LS: invalid RESET " + reset);
        }
        return new CodingParameters(maxval, near, t1, t2, t3, reset);
    }

    /** T.87 C.2.4.1.1.1: the default T1, T2, T3 for MAXVAL and NEAR. */
    static int[] defaultThresholds(int maxval, int near) {
        int t1;
        int t2;
        int t3;
        if (maxval >= 128) {
            int factor = (Math.min(maxval, 4095) + 128) / 256;
            t1 = clamp(factor * (BASIC_T1 - 2) + 2 + 3 * near, near + 1, maxval);
            t2 = clamp(factor * (BASIC_T2 - 3) + 3 + 5 * near, t1, maxval);
            t3 = clamp(factor * (BASIC_T3 - 4) + 4 + 7 * near, t2, maxval);
        } else {
            int factor = 256 / (maxval + 1);
            t1 = clamp(Math.max(2, BASIC_T1 / factor + 3 * near), near + 1, maxval);
            t2 = clamp(Math.max(3, BASIC_T2 / factor + 5 * near), t1, maxval);
            t3 = clamp(Math.max(4, BASIC_T3 / factor + 7 * near), t2, maxval);
        }
        return new int[] {t1, t2, t3};
    }

    /**
     * The defaults CharLS 1.x (and so dcmtk's JPEG-LS codec up to at least 3.6.7) computes and
     * writes streams with, without an LSE segment: the MAXVAL >= 128 formula for every MAXVAL. For
     * MAXVAL < 128 (precision below 8 bits) that differs from T.87, and such streams only decode
     * with these values.
     */
    static int[] charLs1Thresholds(int maxval, int near) {
        int factor = (Math.min(maxval, 4095) + 128) / 256;
        int t1 = clamp(factor * (BASIC_T1 - 2) + 2 + 3 * near, near + 1, maxval);
        int t2 = clamp(factor * (BASIC_T2 - 3) + 3 + 5 * near, t1, maxval);
        int t3 = clamp(factor * (BASIC_T3 - 4) + 4 + 7 * near, t2, maxval);
        return new int[] {t1, t2, t3};
    }

    /**
     * Whether a scan without (complete) preset thresholds would get other thresholds from CharLS
     * 1.x than from T.87.
     */
    static boolean charLs1DefaultsDiffer(int precision, int near, int presetMaxval, int presetT1, int presetT2,
            int presetT3) {
        int maxval = presetMaxval != 0 ? presetMaxval : (1 << precision) - 1;
        if (maxval >= 128 || near > maxval / 2) {
            return false;
        }
        int[] standard = defaultThresholds(maxval, near);
        int[] legacy = charLs1Thresholds(maxval, near);
        return presetT1 == 0 && standard[0] != legacy[0]
                || presetT2 == 0 && standard[1] != legacy[1]
                || presetT3 == 0 && standard[2] != legacy[2];
    }

    /** The CLAMP of T.87 C.2.4.1.1.1 (not an ordinary clamp: above MAXVAL also gives j). */
    private static int clamp(int i, int j, int maxval) {
        return i > maxval || i < j ? j : i;
    }

    static int ceilLog2(int value) {
        // smallest x with 2^x >= value
        return value <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(value - 1);
    }

    private static byte[] quantisationTable(int maxval, int near, int t1, int t2, int t3) {
        TableKey key = new TableKey(maxval, near, t1, t2, t3);
        byte[] cached = QUANTISATION_TABLES.get(key);
        if (cached != null) {
            return cached;
        }
        byte[] table = new byte[2 * maxval + 1];
        for (int d = -maxval; d <= maxval; d++) {
            table[d + maxval] = (byte) quantise(d, near, t1, t2, t3);
        }
        if (QUANTISATION_TABLES.size() >= MAX_CACHED_TABLES) {
            QUANTISATION_TABLES.clear();
        }
        QUANTISATION_TABLES.put(key, table);
        return table;
    }

    private record TableKey(int maxval, int near, int t1, int t2, int t3) {}

    /** T.87 A.3.3. */
    static int quantise(int d, int near, int t1, int t2, int t3) {
        if (d <= -t3) {
            return -4;
        }
        if (d <= -t2) {
            return -3;
        }
        if (d <= -t1) {
            return -2;
        }
        if (d < -near) {
            return -1;
        }
        if (d <= near) {
            return 0;
        }
        if (d < t1) {
            return 1;
        }
        if (d < t2) {
            return 2;
        }
        if (d < t3) {
            return 3;
        }
        return 4;
    }
}
