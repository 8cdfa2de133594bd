package io.roentgen.dicom.codec.rle;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.ImageDescriptor;

import java.util.Arrays;

/**
 * Encodes one native frame (little endian; samples interleaved, or planar when the descriptor's
 * planar configuration is 1) into an RLE Lossless frame, DICOM PS3.5 Annex G: the 64-byte header
 * and one PackBits segment per byte plane per sample, most significant byte first. Rows are
 * encoded separately (no run crosses a row, G.3.1) and every segment is padded to even length
 * with a zero byte. The result is what goes in the frame's fragment(s). Stateless and
 * thread-safe.
 */
public final class RleEncoder {

    /** Encodes one frame. */
    public byte[] encode(byte[] nativeFrame, ImageDescriptor image) throws DicomException {
        RleDecoder.Layout layout = RleDecoder.Layout.of(image);
        int pixels = layout.pixels();
        int bps = layout.bytesPerSample();
        int samples = layout.samples();
        long expected = (long) pixels * samples * bps;
        if (nativeFrame == null || nativeFrame.length < expected) {
            throw new DicomException("RLE encode: frame has " + (nativeFrame == null ? 0 : nativeFrame.length)
                    + " bytes, the image needs " + expected);
        }
        boolean planar = samples > 1 && image.planarConfiguration() == 1;
        int columns = image.columns();
        int rows = image.rows();
        int segments = layout.segments();

        // Worst case PackBits: one header byte per 128 literal bytes per row, plus padding.
        int rowWorst = columns + (columns + 127) / 128;
        byte[] buf = new byte[Math.toIntExact(RleDecoder.HEADER_BYTES
                + (long) segments * ((long) rowWorst * rows + 1))];
        int pos = RleDecoder.HEADER_BYTES;
        writeUInt32(buf, 0, segments);
        byte[] row = new byte[columns];
        for (int seg = 0; seg < segments; seg++) {
            writeUInt32(buf, 4 + 4 * seg, pos);
            int sample = seg / bps;
            int byteInSample = bps - 1 - seg % bps; // little endian position of this plane
            int step = planar ? bps : samples * bps;
            int base = planar ? sample * pixels * bps + byteInSample : sample * bps + byteInSample;
            for (int y = 0; y < rows; y++) {
                int src = base + y * columns * step;
                for (int x = 0; x < columns; x++, src += step) {
                    row[x] = nativeFrame[src];
                }
                pos = packBits(row, columns, buf, pos);
            }
            if (((pos - RleDecoder.HEADER_BYTES) & 1) != 0) {
                buf[pos++] = 0;
            }
        }
        return Arrays.copyOf(buf, pos);
    }

    /** PackBits one row: replicate runs of 2 or more, literal runs of up to 128 bytes otherwise. */
    static int packBits(byte[] row, int n, byte[] out, int pos) {
        int i = 0;
        while (i < n) {
            byte v = row[i];
            int run = 1;
            while (i + run < n && run < 128 && row[i + run] == v) {
                run++;
            }
            if (run >= 2) {
                out[pos++] = (byte) (1 - run);
                out[pos++] = v;
                i += run;
                continue;
            }
            int start = i++;
            while (i < n && i - start < 128) {
                if (i + 2 < n && row[i] == row[i + 1] && row[i] == row[i + 2]) {
                    break; // a run of 3 or more is cheaper as a replicate run
                }
                i++;
            }
            int len = i - start;
            out[pos++] = (byte) (len - 1);
            System.arraycopy(row, start, out, pos, len);
            pos += len;
        }
        return pos;
    }

    private static void writeUInt32(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
