package io.roentgen.dicom;

import java.io.IOException;
import java.util.Arrays;

/**
 * The bytes a parse reads from: a whole array, or a buffer that grows as bytes arrive from a
 * stream (or an inflater). The buffer only grows geometrically as bytes actually arrive, never to
 * a size taken from a length field, so a hostile length cannot make it allocate.
 */
final class ByteSource {
    /** Reads more bytes; -1 at the end. */
    interface Filler {
        int read(byte[] b, int off, int len) throws IOException, DicomException;
    }

    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    byte[] buf;
    int limit;
    private Filler filler;
    private final long maxBytes;
    private final int readAhead;
    private final MemoryGate gate;
    /** Where messages say offsets are: "" for the file, " of the inflated data set" for deflate. */
    final String where;

    ByteSource(byte[] whole) {
        this.buf = whole;
        this.limit = whole.length;
        this.maxBytes = whole.length;
        this.readAhead = 0;
        this.gate = MemoryGate.UNLIMITED;
        this.where = "";
    }

    ByteSource(Filler filler, long maxBytes, int readAhead, String where) {
        this(filler, maxBytes, readAhead, where, MemoryGate.UNLIMITED);
    }

    /** A growing buffer that asks {@code gate} before each growth (the first 64 KiB are free). */
    ByteSource(Filler filler, long maxBytes, int readAhead, String where, MemoryGate gate) {
        this.buf = new byte[Math.max(256, Math.min(readAhead, 1 << 16))];
        this.filler = filler;
        this.maxBytes = Math.min(maxBytes, MAX_ARRAY);
        this.readAhead = readAhead;
        this.gate = gate;
        this.where = where;
    }

    /** True when {@code n} bytes at {@code pos} are (or could be made) available. */
    boolean has(long pos, long n) throws IOException, DicomException {
        long target = pos + n;
        if (target <= limit) {
            return true;
        }
        if (filler == null || n < 0 || pos < 0) {
            return false;
        }
        if (target > maxBytes) {
            // Read what there is, to tell a truncated input from one over the limit.
            fillTo(maxBytes + 1);
            if (limit > maxBytes) {
                throw new DicomException("input is larger than the reader's limit of " + maxBytes + " bytes");
            }
            return false;
        }
        fillTo(target);
        return target <= limit;
    }

    private void fillTo(long target) throws IOException, DicomException {
        while (limit < target && filler != null) {
            if (limit == buf.length) {
                long grown = Math.max((long) buf.length * 2, 4096);
                int cap = (int) Math.min(Math.min(grown, maxBytes + 1), MAX_ARRAY);
                if (cap <= buf.length) {
                    return;
                }
                gate.allocate(cap - buf.length); // the old array is garbage once copied
                buf = Arrays.copyOf(buf, cap);
            }
            long wanted = Math.max(target - limit, readAhead);
            int len = (int) Math.min(wanted, buf.length - limit);
            int n = filler.read(buf, limit, len);
            if (n < 0) {
                filler = null;
                return;
            }
            limit += n;
        }
    }

    /** Reads everything to the end (or the limit). */
    void fillAll() throws IOException, DicomException {
        has(0, maxBytes + 1L);
    }

    /** Stops reading more; trims a buffer that is much larger than its content. */
    void finish() {
        filler = null;
        if (buf.length - limit > (1 << 20) && buf.length - limit > limit / 8) {
            buf = Arrays.copyOf(buf, limit);
        }
    }

    int u8(int pos) {
        return buf[pos] & 0xFF;
    }

    int u16(int pos, boolean bigEndian) {
        byte[] b = buf;
        return bigEndian ? (b[pos] & 0xFF) << 8 | (b[pos + 1] & 0xFF) : (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8;
    }

    long u32(int pos, boolean bigEndian) {
        return Bytes.i32(buf, pos, bigEndian) & 0xFFFFFFFFL;
    }

    int tag(int pos, boolean bigEndian) {
        return u16(pos, bigEndian) << 16 | u16(pos + 2, bigEndian);
    }
}
