package io.roentgen.dicom;

/** Little helpers to read and write numbers in either byte order. */
final class Bytes {
    private Bytes() {}

    static int i16(byte[] b, int pos, boolean bigEndian) {
        return (short) (bigEndian ? (b[pos] & 0xFF) << 8 | (b[pos + 1] & 0xFF) : (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8);
    }

    static int u16(byte[] b, int pos, boolean bigEndian) {
        return i16(b, pos, bigEndian) & 0xFFFF;
    }

    static int i32(byte[] b, int pos, boolean bigEndian) {
        if (bigEndian) {
            return (b[pos] & 0xFF) << 24 | (b[pos + 1] & 0xFF) << 16 | (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
        }
        return (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFF) << 24;
    }

    static long i64(byte[] b, int pos, boolean bigEndian) {
        long hi = i32(b, pos, bigEndian) & 0xFFFFFFFFL;
        long lo = i32(b, pos + 4, bigEndian) & 0xFFFFFFFFL;
        return bigEndian ? hi << 32 | lo : lo << 32 | hi;
    }

    static void put16(byte[] b, int pos, int v, boolean bigEndian) {
        if (bigEndian) {
            b[pos] = (byte) (v >>> 8);
            b[pos + 1] = (byte) v;
        } else {
            b[pos] = (byte) v;
            b[pos + 1] = (byte) (v >>> 8);
        }
    }

    static void put32(byte[] b, int pos, int v, boolean bigEndian) {
        if (bigEndian) {
            b[pos] = (byte) (v >>> 24);
            b[pos + 1] = (byte) (v >>> 16);
            b[pos + 2] = (byte) (v >>> 8);
            b[pos + 3] = (byte) v;
        } else {
            b[pos] = (byte) v;
            b[pos + 1] = (byte) (v >>> 8);
            b[pos + 2] = (byte) (v >>> 16);
            b[pos + 3] = (byte) (v >>> 24);
        }
    }

    static void put64(byte[] b, int pos, long v, boolean bigEndian) {
        if (bigEndian) {
            put32(b, pos, (int) (v >>> 32), true);
            put32(b, pos + 4, (int) v, true);
        } else {
            put32(b, pos, (int) v, false);
            put32(b, pos + 4, (int) (v >>> 32), false);
        }
    }

    /** Reverses each {@code unit}-byte group in place (unit 1: nothing to do). */
    static void swap(byte[] b, int off, int len, int unit) {
        if (unit <= 1) {
            return;
        }
        int end = off + len - len % unit;
        for (int i = off; i < end; i += unit) {
            for (int lo = i, hi = i + unit - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }
}
