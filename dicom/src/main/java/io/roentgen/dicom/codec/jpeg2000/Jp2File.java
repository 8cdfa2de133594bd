package io.roentgen.dicom.codec.jpeg2000;

import io.roentgen.dicom.DicomException;

/**
 * What a JP2 file (ISO/IEC 15444-1 Annex I) wrapped around the codestream of a frame says: where
 * the contiguous codestream box lies, and in which order the header's channel definition box
 * (cdef) puts the decoded components. Some vendors put a whole JP2 file in the fragment instead of
 * the raw codestream PS3.5 A.4.4 asks for. OpenJPEG, and so GDCM and pydicom, apply the cdef
 * order while decoding; so does {@link Jpeg2000Decoder}. A palette (pclr, cmap), which those
 * libraries would expand into more components, is refused.
 *
 * @param codestreamStart first byte of the codestream (SOC)
 * @param codestreamEnd   end of the codestream box, exclusive
 * @param channelOrder    for each output channel, the codestream component it holds; null when
 *     the file keeps the codestream's order
 */
record Jp2File(int codestreamStart, int codestreamEnd, int[] channelOrder) {

    private static final int SIGNATURE = 0x6A502020; // 'jP  '
    private static final int JP2H = 0x6A703268; // 'jp2h'
    private static final int JP2C = 0x6A703263; // 'jp2c'
    private static final int CDEF = 0x63646566; // 'cdef'
    private static final int PCLR = 0x70636C72; // 'pclr'
    private static final int CMAP = 0x636D6170; // 'cmap'

    /** True when {@code frame} starts with the JP2 signature box. */
    static boolean isJp2(byte[] frame) {
        return frame.length >= 12 && J2kHeader.u32(frame, 0) == 12 && J2kHeader.u32(frame, 4) == SIGNATURE;
    }

    static Jp2File parse(byte[] f) throws DicomException {
        if (!isJp2(f)) {
            throw new DicomException("JPEG 2000: neither a codestream (SOC) nor a JP2 file");
        }
        int[] channelOrder = null;
        int p = 0;
        while (p + 8 <= f.length) {
            long type = J2kHeader.u32(f, p + 4);
            int[] box = box(f, p, f.length, type == JP2C);
            if (type == JP2C) {
                return new Jp2File(box[0], box[1], channelOrder);
            }
            if (type == JP2H) {
                channelOrder = channelOrder(f, box[0], box[1]);
            }
            p = box[1];
        }
        throw new DicomException("JP2 file without a contiguous codestream box");
    }

    /**
     * [contents start, box end) of the box at {@code p}. A codestream box that runs past the end is
     * cut there ({@code lenient}): the codestream checks then say what is missing.
     */
    private static int[] box(byte[] f, int p, int end, boolean lenient) throws DicomException {
        long length = J2kHeader.u32(f, p);
        int header = 8;
        if (length == 1) {
            if (p + 16 > end) {
                throw new DicomException("JP2 box at byte " + p + " has a truncated extended length");
            }
            length = J2kHeader.u32(f, p + 8) != 0 ? Long.MAX_VALUE : J2kHeader.u32(f, p + 12);
            header = 16;
        } else if (length == 0) {
            length = end - p; // the box runs to the end
        }
        if (length < header || length > end - p) {
            if (!lenient) {
                throw new DicomException("JP2 box at byte " + p + " of length " + length + " runs past the end");
            }
            length = end - p;
        }
        return new int[] {p + header, (int) (p + length)};
    }

    /** The cdef order inside the JP2 header box [from, to), or null when it has none. */
    private static int[] channelOrder(byte[] f, int from, int to) throws DicomException {
        int[] order = null;
        int p = from;
        while (p + 8 <= to) {
            long type = J2kHeader.u32(f, p + 4);
            int[] box = box(f, p, to, false);
            if (type == PCLR || type == CMAP) {
                throw new DicomException("JPEG 2000: JP2 palette boxes (pclr, cmap) are not supported");
            }
            if (type == CDEF) {
                order = cdef(f, box[0], box[1]);
            }
            p = box[1];
        }
        return order;
    }

    /** Channel definitions: only colour channels, each associated with one colour, are accepted. */
    private static int[] cdef(byte[] f, int from, int to) throws DicomException {
        if (to - from < 2) {
            throw new DicomException("JPEG 2000: truncated JP2 channel definition box");
        }
        int n = J2kHeader.u16(f, from);
        if (n < 1 || to - from < 2 + 6 * n) {
            throw new DicomException("JPEG 2000: JP2 channel definition box of " + n + " channels in "
                    + (to - from) + " bytes");
        }
        int[] order = new int[n];
        boolean[] taken = new boolean[n];
        boolean[] used = new boolean[n];
        boolean identity = true;
        for (int i = 0; i < n; i++) {
            int at = from + 2 + 6 * i;
            int channel = J2kHeader.u16(f, at);
            int type = J2kHeader.u16(f, at + 2);
            int colour = J2kHeader.u16(f, at + 4);
            if (type != 0 || colour < 1 || colour > n || channel >= n || taken[colour - 1] || used[channel]) {
                throw new DicomException("JPEG 2000: JP2 channel definition (channel " + channel + ", type " + type
                        + ", colour " + colour + ") other than one colour per channel is not supported");
            }
            taken[colour - 1] = true;
            used[channel] = true;
            order[colour - 1] = channel;
            identity &= channel == colour - 1;
        }
        return identity ? null : order;
    }
}
