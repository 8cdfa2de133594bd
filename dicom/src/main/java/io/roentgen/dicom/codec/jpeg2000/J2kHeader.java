package io.roentgen.dicom.codec.jpeg2000;

import io.roentgen.dicom.DicomException;

import java.util.Arrays;

/**
 * What the main header of a JPEG 2000 codestream (ISO/IEC 15444-1 Annex A) says about the image:
 * the SIZ marker segment and the multi-component transform flag of COD. Parsed before the
 * library sees the stream, so that an image the DICOM attributes do not describe, or one that
 * would make the decoder allocate more than the frame justifies, is refused up front.
 *
 * @param codestreamOffset where the codestream (SOC) starts in the frame: 0, or inside a JP2 file's
 *     contiguous codestream box
 * @param codestreamLength bytes of the codestream from there
 * @param channelOrder for each output sample, the component that holds it, as a JP2 file's channel
 *     definition box says; null for the codestream's order
 */
record J2kHeader(
        int codestreamOffset,
        int codestreamLength,
        long width,
        long height,
        long tilesX,
        long tilesY,
        int[] precision,
        boolean[] signed,
        int[] subsamplingX,
        int[] subsamplingY,
        boolean multiComponentTransform,
        int[] channelOrder) {

    static final int SOC = 0xFF4F;
    static final int SIZ = 0xFF51;
    static final int COD = 0xFF52;
    static final int SOT = 0xFF90;
    /** The tile index (Isot) is 16 bits, 65535 reserved: more tiles than this is not JPEG 2000. */
    static final long MAX_TILES = 65535;

    int components() {
        return precision.length;
    }

    long tiles() {
        return tilesX * tilesY;
    }

    static J2kHeader parse(byte[] frame) throws DicomException {
        if (frame == null || frame.length < 4) {
            throw new DicomException("JPEG 2000 frame of " + (frame == null ? 0 : frame.length) + " bytes");
        }
        int start = 0;
        int end = frame.length;
        int[] channelOrder = null;
        if (u16(frame, 0) != SOC) {
            Jp2File jp2 = Jp2File.parse(frame);
            start = jp2.codestreamStart();
            end = jp2.codestreamEnd();
            channelOrder = jp2.channelOrder();
        }
        if (end - start < 4 || u16(frame, start) != SOC || u16(frame, start + 2) != SIZ) {
            throw new DicomException("JPEG 2000: no codestream (SOC followed by SIZ) at byte " + start);
        }
        int p = start + 4;
        int lsiz = need(frame, p, 2, end, "SIZ length");
        if (lsiz < 41 || (lsiz - 38) % 3 != 0) {
            throw new DicomException("JPEG 2000: SIZ length " + lsiz);
        }
        need(frame, p, lsiz, end, "SIZ");
        long xsiz = u32(frame, p + 4);
        long ysiz = u32(frame, p + 8);
        long xosiz = u32(frame, p + 12);
        long yosiz = u32(frame, p + 16);
        long xtsiz = u32(frame, p + 20);
        long ytsiz = u32(frame, p + 24);
        long xtosiz = u32(frame, p + 28);
        long ytosiz = u32(frame, p + 32);
        int csiz = u16(frame, p + 36);
        if (csiz < 1 || csiz != (lsiz - 38) / 3) {
            throw new DicomException("JPEG 2000: SIZ declares " + csiz + " components in " + lsiz + " bytes");
        }
        if (channelOrder != null && channelOrder.length != csiz) {
            throw new DicomException("JPEG 2000: the JP2 channel definition names " + channelOrder.length
                    + " channels, the codestream has " + csiz + " components");
        }
        if (xsiz <= xosiz || ysiz <= yosiz || xtsiz == 0 || ytsiz == 0 || xtosiz > xosiz || ytosiz > yosiz
                || xtosiz + xtsiz <= xosiz || ytosiz + ytsiz <= yosiz) {
            throw new DicomException("JPEG 2000: inconsistent SIZ geometry (image " + xsiz + "x" + ysiz + " offset "
                    + xosiz + "," + yosiz + ", tiles " + xtsiz + "x" + ytsiz + " offset " + xtosiz + "," + ytosiz + ")");
        }
        int[] precision = new int[csiz];
        boolean[] signed = new boolean[csiz];
        int[] dx = new int[csiz];
        int[] dy = new int[csiz];
        for (int c = 0; c < csiz; c++) {
            int ssiz = frame[p + 38 + 3 * c] & 0xFF;
            precision[c] = (ssiz & 0x7F) + 1;
            signed[c] = (ssiz & 0x80) != 0;
            dx[c] = frame[p + 39 + 3 * c] & 0xFF;
            dy[c] = frame[p + 40 + 3 * c] & 0xFF;
        }
        long tilesX = ceilDiv(xsiz - xtosiz, xtsiz);
        long tilesY = ceilDiv(ysiz - ytosiz, ytsiz);
        if (tilesX * tilesY > MAX_TILES) {
            throw new DicomException("JPEG 2000 codestream declares " + tilesX * tilesY + " tiles (at most "
                    + MAX_TILES + ")");
        }

        // Main header markers up to the first tile-part: only COD matters here.
        boolean mct = false;
        p += lsiz;
        while (p + 4 <= end) {
            int marker = u16(frame, p);
            if (marker == SOT || (marker & 0xFF00) != 0xFF00) {
                break;
            }
            int len = u16(frame, p + 2);
            if (len < 2 || p + 2 + len > end) {
                throw new DicomException("JPEG 2000: marker " + Integer.toHexString(marker) + " length " + len
                        + " at byte " + p + " runs past the end");
            }
            if (marker == COD && len >= 12) {
                mct = (frame[p + 8] & 0xFF) == 1;
            }
            p += 2 + len;
        }
        checkTileParts(frame, p, end, tilesX * tilesY);
        return new J2kHeader(start, end - start, xsiz - xosiz, ysiz - yosiz, tilesX, tilesY,
                precision, signed, dx, dy, mct, channelOrder);
    }

    /**
     * Walks the tile-parts (SOT, Psot) from the first SOT: a tile-part that runs past the end of
     * the data means a truncated frame, refused here. (JJ2000 would otherwise hit the end inside a
     * packet, print a stack trace to stderr and throw an Error, or decode a partial image.)
     * Anything after the last complete tile-part other than SOT (EOC, padding) ends the walk.
     */
    private static void checkTileParts(byte[] frame, int p, int end, long tiles) throws DicomException {
        if (p + 4 > end || u16(frame, p) != SOT) {
            throw new DicomException("JPEG 2000: no tile-part (SOT) after the main header, at byte " + p);
        }
        while (p + 4 <= end && u16(frame, p) == SOT) {
            if (p + 12 > end) {
                throw new DicomException("JPEG 2000: truncated SOT marker segment at byte " + p);
            }
            int lsot = u16(frame, p + 2);
            int isot = u16(frame, p + 4);
            long psot = u32(frame, p + 6);
            if (lsot != 10 || isot >= tiles) {
                throw new DicomException("JPEG 2000: corrupt SOT at byte " + p + " (Lsot " + lsot + ", tile " + isot
                        + " of " + tiles + ")");
            }
            if (psot == 0) {
                return; // the last tile-part, up to EOC
            }
            if (psot < 14) {
                throw new DicomException("JPEG 2000: tile-part length " + psot + " at byte " + p);
            }
            if (p + psot > end) {
                throw new DicomException("JPEG 2000 codestream truncated: tile-part at byte " + p + " of length " + psot
                        + " runs past the end of the " + end + "-byte frame");
            }
            p += (int) psot;
        }
    }

    private static int need(byte[] b, int at, int n, int end, String what) throws DicomException {
        if (at + n > end) {
            throw new DicomException("JPEG 2000: " + what + " at byte " + at + " truncated");
        }
        return n == 2 ? u16(b, at) : 0;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xFFL) << 24 | (b[at + 1] & 0xFFL) << 16 | (b[at + 2] & 0xFFL) << 8 | (b[at + 3] & 0xFFL);
    }

    @Override
    public String toString() {
        return "J2kHeader[" + width + "x" + height + ", tiles " + tilesX + "x" + tilesY + ", precision "
                + Arrays.toString(precision) + ", signed " + Arrays.toString(signed) + ", mct " + multiComponentTransform
                + (channelOrder == null ? "" : ", JP2 channel order " + Arrays.toString(channelOrder)) + "]";
    }
}
