package io.roentgen.dicom.codec.jpeg;

import io.roentgen.dicom.DicomException;

/**
 * Reads entropy-coded segments (T.81 F.2.2.5): a 64-bit bit buffer refilled a byte at a time,
 * byte stuffing (FF 00) removed, stopping at the first marker. Past a marker or the end of the
 * data it supplies zero bits, as IJG does, but only up to {@link #MAX_ZERO_FILL_BYTES}: a stream
 * that keeps asking for more is truncated or corrupt, and decoding fails instead of looping.
 */
final class BitReader {
    /** Zero bytes supplied past the data before the stream counts as truncated. */
    static final int MAX_ZERO_FILL_BYTES = 64;

    private final byte[] data;
    private final int end;
    private int pos;
    private long buf;
    private int bits;
    private boolean atMarker;
    private int zeroFill;

    BitReader(byte[] data, int start, int end) {
        this.data = data;
        this.pos = start;
        this.end = end;
    }

    /** Index of the first byte not yet taken into the bit buffer. */
    int position() {
        return pos;
    }

    /** Forgets buffered bits and the marker state: for a restart or the end of a scan. */
    void reset() {
        buf = 0;
        bits = 0;
        atMarker = false;
        zeroFill = 0;
    }

    /** Fills the buffer to at least 57 bits. */
    private void fill() throws DicomException {
        byte[] d = data;
        long b = buf;
        int n = bits;
        int p = pos;
        while (n <= 56) {
            int v;
            if (atMarker || p >= end) {
                if (++zeroFill > MAX_ZERO_FILL_BYTES) {
                    throw new DicomException("JPEG: entropy-coded data ends before the scan is complete");
                }
                v = 0;
            } else {
                v = d[p] & 0xFF;
                if (v == 0xFF) {
                    int next = p + 1 < end ? d[p + 1] & 0xFF : -1;
                    if (next == 0) {
                        p += 2;
                    } else if (next == 0xFF) {
                        p++; // fill byte before a marker
                        continue;
                    } else {
                        atMarker = true; // marker (or end of data): leave it for the marker parser
                        continue;
                    }
                } else {
                    p++;
                }
            }
            b = (b << 8) | v;
            n += 8;
        }
        buf = b;
        bits = n;
        pos = p;
    }

    /** Makes sure at least 32 bits are buffered: one Huffman code plus up to 16 extra bits. */
    void ensure32() throws DicomException {
        if (bits < 32) {
            fill();
        }
    }

    /** Reads n (0..16) bits; the caller has ensured they are buffered. */
    int bits(int n) {
        int v = (int) (buf >>> (bits - n)) & ((1 << n) - 1);
        bits -= n;
        return v;
    }

    /** The next LOOKAHEAD bits; the caller has ensured they are buffered. */
    int peek() {
        return (int) (buf >>> (bits - HuffmanTable.LOOKAHEAD)) & ((1 << HuffmanTable.LOOKAHEAD) - 1);
    }

    /** Drops n bits already looked at. */
    void skip(int n) {
        bits -= n;
    }

    /** Decodes one Huffman symbol; the caller has ensured at least 16 bits are buffered. */
    int decode(HuffmanTable t) throws DicomException {
        int e = t.fast[(int) (buf >>> (bits - HuffmanTable.LOOKAHEAD)) & ((1 << HuffmanTable.LOOKAHEAD) - 1)];
        if (e != 0) {
            bits -= e >> 8;
            return e & 0xFF;
        }
        int code = (int) (buf >>> (bits - 16)) & 0xFFFF;
        for (int len = HuffmanTable.LOOKAHEAD + 1; len <= 16; len++) {
            int c = code >>> (16 - len);
            if (c <= t.maxCode[len]) {
                bits -= len;
                return t.values[c + t.valOffset[len]] & 0xFF;
            }
        }
        throw new DicomException("JPEG: bad Huffman code in entropy-coded data");
    }

    /**
     * Reads the marker that ends an entropy-coded segment: skips what is left of the segment
     * (padding bits, or garbage as IJG tolerates it) and returns the marker code, its bytes consumed;
     * -1 when the data ends first.
     */
    int nextMarker() {
        reset();
        int p = pos;
        while (p + 1 < end) {
            if ((data[p] & 0xFF) == 0xFF) {
                int m = data[p + 1] & 0xFF;
                if (m != 0 && m != 0xFF) {
                    pos = p + 2;
                    return m;
                }
                p += m == 0 ? 2 : 1;
            } else {
                p++;
            }
        }
        pos = end;
        return -1;
    }

    /** Moves back so the marker parser can read the marker at the current position itself. */
    void unreadMarker() {
        pos -= 2;
    }
}
