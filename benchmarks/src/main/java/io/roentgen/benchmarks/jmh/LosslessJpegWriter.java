package io.roentgen.benchmarks.jmh;

import java.io.ByteArrayOutputStream;

/**
 * A minimal JPEG Lossless (process 14, SOF3) encoder for one 16-bit-allocated monochrome frame:
 * first-order prediction (selection value 1), no point transform, no restarts, one Huffman table
 * (the JPEG standard's DC luminance table extended to difference categories 12-16). It exists so
 * the JPEG-lossless decode microbenchmark has a realistic 512x512 input without a binary fixture;
 * its output is what DICOM transfer syntax 1.2.840.10008.1.2.4.70 carries per frame.
 */
public final class LosslessJpegWriter {
    /** Code lengths 1..16: how many categories get a code of each length. */
    private static final int[] BITS = {0, 1, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    /** Categories in code order. */
    private static final int[] CATEGORIES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    private final int[] code = new int[17];
    private final int[] length = new int[17];

    public LosslessJpegWriter() {
        int next = 0;
        int k = 0;
        for (int len = 1; len <= 16; len++) {
            for (int i = 0; i < BITS[len - 1]; i++, k++) {
                code[CATEGORIES[k]] = next++;
                length[CATEGORIES[k]] = len;
            }
            next <<= 1;
        }
    }

    /**
     * Encodes little endian 16-bit samples whose values fit {@code precision} bits (2 to 16).
     */
    public byte[] encode(byte[] littleEndian16, int rows, int columns, int precision) {
        if (precision < 2 || precision > 16 || littleEndian16.length < rows * columns * 2) {
            throw new IllegalArgumentException("need " + rows + "x" + columns + " 16-bit samples of 2..16 bits");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows * columns);
        writeHeaders(out, rows, columns, precision);
        BitWriter bits = new BitWriter(out);
        int mask = (1 << precision) - 1;
        int[] previousRow = new int[columns];
        for (int y = 0; y < rows; y++) {
            int left = 0;
            for (int x = 0; x < columns; x++) {
                int at = (y * columns + x) * 2;
                int value = ((littleEndian16[at] & 0xff) | (littleEndian16[at + 1] & 0xff) << 8) & mask;
                int prediction = x > 0 ? left : y > 0 ? previousRow[0] : 1 << (precision - 1);
                writeDifference(bits, value - prediction);
                previousRow[x] = value;
                left = value;
            }
        }
        bits.flush();
        out.write(0xff);
        out.write(0xd9); // EOI
        return out.toByteArray();
    }

    /** Category, then the difference's low bits (one's complement for negatives), modulo 2^16. */
    private void writeDifference(BitWriter bits, int difference) {
        int d = (short) difference; // the standard's modulo 2^16
        if (d == -32768) {
            bits.write(code[16], length[16]);
            return;
        }
        int category = d == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(Math.abs(d));
        bits.write(code[category], length[category]);
        if (category > 0) {
            bits.write((d > 0 ? d : d - 1) & ((1 << category) - 1), category);
        }
    }

    private static void writeHeaders(ByteArrayOutputStream out, int rows, int columns, int precision) {
        out.write(0xff);
        out.write(0xd8); // SOI
        byte[] sof = {(byte) 0xff, (byte) 0xc3, 0, 11, (byte) precision, (byte) (rows >> 8), (byte) rows,
            (byte) (columns >> 8), (byte) columns, 1, 1, 0x11, 0};
        out.write(sof, 0, sof.length);
        out.write(0xff);
        out.write(0xc4); // DHT
        int dhtLength = 2 + 1 + 16 + CATEGORIES.length;
        out.write(dhtLength >> 8);
        out.write(dhtLength);
        out.write(0x00); // DC table 0
        for (int b : BITS) {
            out.write(b);
        }
        for (int c : CATEGORIES) {
            out.write(c);
        }
        byte[] sos = {(byte) 0xff, (byte) 0xda, 0, 8, 1, 1, 0x00, 1, 0, 0}; // predictor 1, Pt 0
        out.write(sos, 0, sos.length);
    }

    /** MSB-first bits with 0xFF byte stuffing; the last byte is padded with ones. */
    private static final class BitWriter {
        private final ByteArrayOutputStream out;
        private long buffer;
        private int count;

        BitWriter(ByteArrayOutputStream out) {
            this.out = out;
        }

        void write(int value, int bits) {
            buffer = (buffer << bits) | (value & ((1L << bits) - 1));
            count += bits;
            while (count >= 8) {
                count -= 8;
                emit((int) (buffer >>> count) & 0xff);
            }
        }

        void flush() {
            if (count > 0) {
                write((1 << (8 - count)) - 1, 8 - count);
            }
        }

        private void emit(int b) {
            out.write(b);
            if (b == 0xff) {
                out.write(0);
            }
        }
    }
}
