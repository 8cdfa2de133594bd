package io.roentgen.dicom.codec.jpeg;

import io.roentgen.dicom.DicomException;

/**
 * One Huffman table from a DHT segment (T.81 B.2.4.2, C.2), prepared for decoding: a lookahead
 * table resolves every code of up to {@link #LOOKAHEAD} bits in one step, longer codes go through
 * the canonical {@code maxcode} search of T.81 F.2.2.3.
 */
final class HuffmanTable {
    static final int LOOKAHEAD = 9;

    /** Indexed by the next LOOKAHEAD bits: {@code (length << 8) | symbol}, or 0 for a longer code. */
    final int[] fast = new int[1 << LOOKAHEAD];
    /** Largest code of each length 1..16, -1 when there is none. */
    final int[] maxCode = new int[17];
    /** For length l: index into {@link #values} of a code c is {@code c + valOffset[l]}. */
    final int[] valOffset = new int[17];
    final int[] values;
    /**
     * For AC tables: indexed like {@link #fast}, a code and its extra bits that fit in LOOKAHEAD bits
     * resolved in one step: {@code (value << 16) | (run << 4) | totalLength}, or 0.
     */
    int[] fastAc;

    /**
     * @param counts number of codes of each length 1..16 (index 0 = length 1)
     * @param symbols the symbols in code order
     */
    HuffmanTable(int[] counts, int[] symbols) throws DicomException {
        this.values = symbols;
        int code = 0;
        int k = 0;
        int lastLength = 0;
        for (int len = 1; len <= 16; len++) {
            if (counts[len - 1] > 0) {
                lastLength = len;
            }
        }
        // T.81 C.2 (checked as IJG does): the codes of one length must fit in that many bits and
        // the all-ones code is reserved.
        for (int len = 1; len <= lastLength; len++) {
            code += counts[len - 1];
            if (code >= (1 << len)) {
                throw new DicomException("JPEG: bad Huffman table (code space overflow at length " + len + ")");
            }
            code <<= 1;
        }
        code = 0;
        for (int len = 1; len <= 16; len++) {
            int n = counts[len - 1];
            if (n == 0) {
                maxCode[len] = -1;
            } else {
                valOffset[len] = k - code;
                for (int i = 0; i < n; i++) {
                    if (len <= LOOKAHEAD) {
                        int shift = LOOKAHEAD - len;
                        int base = code << shift;
                        int entry = (len << 8) | (symbols[k] & 0xFF);
                        for (int j = 0; j < (1 << shift); j++) {
                            fast[base + j] = entry;
                        }
                    }
                    code++;
                    k++;
                }
                maxCode[len] = code - 1;
            }
            code <<= 1;
        }
    }

    /** Builds {@link #fastAc}, for a table used as an AC table. */
    void buildFastAc() {
        if (fastAc != null) {
            return;
        }
        int[] f = new int[1 << LOOKAHEAD];
        for (int i = 0; i < f.length; i++) {
            int e = fast[i];
            if (e == 0) {
                continue;
            }
            int len = e >> 8;
            int rs = e & 0xFF;
            int run = rs >> 4;
            int size = rs & 15;
            if (size == 0 || len + size > LOOKAHEAD) {
                continue;
            }
            int bits = (i >> (LOOKAHEAD - len - size)) & ((1 << size) - 1);
            int value = bits < (1 << (size - 1)) ? bits - (1 << size) + 1 : bits;
            f[i] = (value << 16) | (run << 4) | (len + size);
        }
        fastAc = f;
    }
}
