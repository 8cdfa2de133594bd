package io.roentgen.dicom.codec.jpeg2000;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.DecodeDeadline;

import java.io.IOException;

import javax.imageio.stream.ImageInputStream;

/**
 * What keeps JJ2000 from working without end on a corrupt codestream: an up-front check of the
 * invariant its packet-header reader relies on, and a stream that counts what the library reads
 * and watches the decode deadline.
 *
 * <p>Why the check: ISO/IEC 15444-1 never lets 0xFF be followed by a byte above 0x8F inside
 * tile-part data (packet headers stuff a zero bit after 0xFF, code-block codewords avoid it,
 * SOP/EPH are 0xFF91/0xFF92). JJ2000's {@code PktHeaderBitReader} assumes it: after 0xFF 0xFF it
 * keeps returning one bits without reading, and {@code PktDecoder.readPktHead} loops forever
 * ({@code while (readBit() != 0) lblock++}). No stream read happens in that loop, so no budget
 * or deadline can stop it: such data must be refused before decoding. Packed packet headers
 * (PPM, PPT) are read from an in-memory copy that neither the check nor the stream sees, and
 * loop the same way on bad data: they are refused too (DICOM encoders do not write them).
 */
final class CodestreamGuard {
    static final int SOD = 0xFF93;
    static final int PPM = 0xFF60;
    static final int PPT = 0xFF61;
    /** Reads allowed per codestream byte; JJ2000 reads each byte about once per decode. */
    static final long READS_PER_BYTE = 64;
    static final long READ_ALLOWANCE = 1 << 20;

    private CodestreamGuard() {}

    /** The stream JJ2000 reads the codestream {@code [offset, offset + length)} of {@code frame} from. */
    static ImageInputStream open(byte[] frame, int offset, int length) throws DicomException {
        DecodeDeadline.check();
        checkTileData(frame, offset, offset + length);
        return new BudgetedStream(frame, offset, length, READS_PER_BYTE * length + READ_ALLOWANCE);
    }

    /** Refuses PPM/PPT and 0xFF 0xFF in tile-part data; the codestream starts with SOC at {@code start}. */
    static void checkTileData(byte[] f, int start, int end) throws DicomException {
        int p = start + 2;
        while (p + 4 <= end && J2kHeader.u16(f, p) != J2kHeader.SOT) {
            p = skipSegment(f, p, end, "main header");
        }
        while (p + 12 <= end && J2kHeader.u16(f, p) == J2kHeader.SOT) {
            long psot = J2kHeader.u32(f, p + 6);
            int tilePartEnd = psot == 0 || p + psot > end ? end : (int) (p + psot);
            int q = p + 12;
            while (q + 2 <= tilePartEnd && J2kHeader.u16(f, q) != SOD) {
                q = skipSegment(f, q, tilePartEnd, "tile-part header");
            }
            if (q + 2 > tilePartEnd) {
                throw new DicomException("JPEG 2000: tile-part at byte " + (p - start) + " has no SOD marker");
            }
            checkNoFfFf(f, q + 2, tilePartEnd, end, start);
            p = tilePartEnd;
        }
    }

    private static int skipSegment(byte[] f, int p, int end, String where) throws DicomException {
        int marker = J2kHeader.u16(f, p);
        if (marker == PPM || marker == PPT) {
            throw new DicomException("JPEG 2000: packed packet headers (" + (marker == PPM ? "PPM" : "PPT")
                    + ") are not supported");
        }
        if ((marker & 0xFF00) != 0xFF00 || p + 4 > end) {
            throw new DicomException("JPEG 2000: corrupt " + where + " at byte " + p);
        }
        return p + 2 + J2kHeader.u16(f, p + 2);
    }

    /** Tile data {@code [from, to)}; a 0xFF ending it is checked against the byte that follows. */
    private static void checkNoFfFf(byte[] f, int from, int to, int end, int start) throws DicomException {
        int last = Math.min(to, end - 1);
        for (int i = from; i < last; i++) {
            if (f[i] == (byte) 0xFF && f[i + 1] == (byte) 0xFF) {
                throw new DicomException("JPEG 2000: corrupt tile data (0xFF 0xFF) at byte " + (i - start));
            }
        }
    }

    /**
     * The strict stream, counting the bytes the library takes and checking the decode deadline
     * every {@link #CHECK_EVERY} reads: a bound on the work of any loop that reads.
     */
    static final class BudgetedStream extends StrictByteArrayImageInputStream {
        static final int CHECK_EVERY = 1024;
        private final long budget;
        private long bytesRead;
        private int untilCheck = CHECK_EVERY;

        BudgetedStream(byte[] data, int offset, int length, long budget) {
            super(data, offset, length);
            this.budget = budget;
        }

        @Override
        public int read() throws IOException {
            account(1);
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            account(len);
            return super.read(b, off, len);
        }

        private void account(int bytes) throws IOException {
            bytesRead += bytes;
            if (bytesRead > budget) {
                throw new IOException("the decoder read more than " + budget + " bytes of a " + length()
                        + "-byte codestream");
            }
            if (--untilCheck <= 0) {
                untilCheck = CHECK_EVERY;
                if (DecodeDeadline.passed()) {
                    throw new IOException("the decode deadline passed");
                }
            }
        }
    }
}
