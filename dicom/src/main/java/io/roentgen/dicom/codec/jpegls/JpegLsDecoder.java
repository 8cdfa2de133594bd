package io.roentgen.dicom.codec.jpegls;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.DecodeDeadline;
import io.roentgen.dicom.codec.PixelDecoder;
import io.roentgen.dicom.ImageDescriptor;

import java.util.Arrays;
import java.util.Set;

/**
 * JPEG-LS (ITU-T T.87 / ISO 14495-1) decoder for DICOM's JPEG-LS Lossless
 * ({@value #LOSSLESS_UID}) and JPEG-LS Near-Lossless ({@value #NEAR_LOSSLESS_UID}) transfer
 * syntaxes. Pure Java.
 *
 * <p>Supports 2..16 bit precision, any number of components in the frame (DICOM uses 1 and 3),
 * interleave modes none, line and sample, NEAR 0..255, preset coding parameters from an LSE
 * segment (id 1), oversize dimensions (LSE id 4), and restart intervals (DRI / RSTm).
 *
 * <p>Refused with a {@link DicomException}: the HP colour transforms (APP8 "mrfx" and LSE id 0x0D),
 * mapping tables (palette; Tm != 0), point transform, sub-sampled components, a height defined
 * only by a DNL marker, and frame headers that do not match the {@link ImageDescriptor}.
 *
 * <p>Encoder quirks: CharLS 1.x (inside dcmtk up to at least 3.6.7) computes the default
 * thresholds for MAXVAL &lt; 128 (under 8 bits) with the wrong formula and writes no LSE segment;
 * a stream that fails with the T.87 defaults is decoded a second time with CharLS 1.x's. A preset
 * MAXVAL below 2^P - 1 is taken as T.87 defines it (RANGE, qbpp and LIMIT follow it); CharLS
 * ignores it while coding, so its streams with one do not decode.
 *
 * <p>Corrupt or truncated data gives a {@link DicomException}: reading past the end of a scan's
 * data, a Golomb code longer than LIMIT, a run past the end of the line, a scan that leaves more
 * than a few bytes unused. Sample values never leave [0, MAXVAL].
 *
 * <p>Output: native little-endian samples, 1 byte each for 8 bits allocated and 2 bytes for 16,
 * always interleaved (planar configuration 0) whatever the interleave mode of the stream,
 * photometric interpretation unchanged, no sign extension (the stored bit patterns, as coded).
 * Stateless and thread-safe.
 */
public final class JpegLsDecoder implements PixelDecoder {
    /** JPEG-LS Lossless Image Compression. */
    public static final String LOSSLESS_UID = "1.2.840.10008.1.2.4.80";
    /** JPEG-LS Lossy (Near-Lossless) Image Compression. */
    public static final String NEAR_LOSSLESS_UID = "1.2.840.10008.1.2.4.81";

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int DNL = 0xDC;
    private static final int DRI = 0xDD;
    private static final int SOF55 = 0xF7;
    private static final int LSE = 0xF8;
    private static final int APP8 = 0xE8;

    @Override
    public Set<String> transferSyntaxUids() {
        return Set.of(LOSSLESS_UID, NEAR_LOSSLESS_UID);
    }

    @Override
    public DecodedFrame decode(byte[] encodedFrame, ImageDescriptor image) throws DicomException {
        if (encodedFrame == null || image == null) {
            throw new DicomException("JPEG-LS: no frame data or no image description");
        }
        checkDescriptor(image);
        FrameDecoder standard = new FrameDecoder(encodedFrame, image, false);
        try {
            return standard.decode();
        } catch (DicomException e) {
            if (!standard.charLs1Sensitive) {
                throw e;
            }
            // Below 8 bits CharLS 1.x (dcmtk) codes with non-standard default thresholds and writes
            // no LSE segment: a stream that fails with the T.87 defaults gets a second try with those.
            try {
                return new FrameDecoder(encodedFrame, image, true).decode();
            } catch (DicomException legacy) {
                e.addSuppressed(legacy);
                throw e;
            }
        }
    }

    /** Decodes with the T.87 default thresholds only, or CharLS 1.x's only: for tests. */
    static DecodedFrame decodeWithDefaults(byte[] encodedFrame, ImageDescriptor image, boolean charLs1Defaults)
            throws DicomException {
        checkDescriptor(image);
        return new FrameDecoder(encodedFrame, image, charLs1Defaults).decode();
    }

    private static void checkDescriptor(ImageDescriptor image) throws DicomException {
        if (image.rows() <= 0 || image.columns() <= 0) {
            throw new DicomException("JPEG-LS: image has no pixels (" + image.rows() + " x " + image.columns() + ")");
        }
        if (image.samplesPerPixel() < 1 || image.samplesPerPixel() > 4) {
            throw new DicomException("JPEG-LS: unsupported samples per pixel " + image.samplesPerPixel());
        }
        if (image.bitsAllocated() != 8 && image.bitsAllocated() != 16) {
            throw new DicomException("JPEG-LS: unsupported bits allocated " + image.bitsAllocated()
                    + " (JPEG-LS frames are stored in 8 or 16 bits)");
        }
        if (image.nativeFrameBytes() > Integer.MAX_VALUE - 16) {
            throw new DicomException("JPEG-LS: frame of " + image.nativeFrameBytes() + " bytes is too large");
        }
    }

    /** The parse and decode of one frame. */
    private static final class FrameDecoder {
        private final byte[] data;
        private final ImageDescriptor image;
        private final boolean charLs1Defaults;
        private int pos;
        /** A scan so far would have other default thresholds under CharLS 1.x. */
        boolean charLs1Sensitive;

        // frame header
        private boolean haveFrame;
        private int precision;
        private int height;
        private int width;
        private int[] componentIds;
        private boolean[] componentDone;

        // LSE id 1 preset parameters (0 = default)
        private int presetMaxval;
        private int presetT1;
        private int presetT2;
        private int presetT3;
        private int presetReset;
        // LSE id 4 oversize dimensions
        private int oversizeHeight;
        private int oversizeWidth;

        private int restartInterval;
        private byte[] out;

        FrameDecoder(byte[] data, ImageDescriptor image, boolean charLs1Defaults) {
            this.data = data;
            this.image = image;
            this.charLs1Defaults = charLs1Defaults;
        }

        DecodedFrame decode() throws DicomException {
            if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != SOI) {
                throw new DicomException("JPEG-LS: frame does not start with an SOI marker");
            }
            pos = 2;
            for (;;) {
                int marker = nextMarker();
                switch (marker) {
                    case EOI -> {
                        return finish();
                    }
                    case SOF55 -> readFrameHeader(segment());
                    case LSE -> readPresetParameters(segment());
                    case DRI -> readRestartInterval(segment());
                    case SOS -> {
                        int length = segment();
                        readScan(length);
                    }
                    case DNL -> throw new DicomException("JPEG-LS: DNL marker (height defined after the scan) "
                            + "is not supported (byte " + (pos - 2) + ")");
                    case SOI -> throw new DicomException("JPEG-LS: unexpected second SOI marker (byte " + (pos - 2) + ")");
                    case APP8 -> {
                        int length = segment();
                        checkColourTransform(length);
                        pos += length;
                    }
                    default -> {
                        if (isOtherStartOfFrame(marker)) {
                            throw new DicomException(String.format(
                                    "JPEG-LS: frame is coded with SOF 0xFF%02X, not JPEG-LS (SOF55)", marker));
                        }
                        if (marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
                            throw new DicomException(String.format(
                                    "JPEG-LS: unexpected marker 0xFF%02X outside a scan (byte %d)", marker, pos - 2));
                        }
                        // APPn, COM and anything else with a length: skip
                        pos += segment();
                    }
                }
                if (allComponentsDone() && pos + 1 >= data.length) {
                    // complete image, EOI missing (truncated after the last scan's data)
                    return finish();
                }
            }
        }

        private DecodedFrame finish() throws DicomException {
            if (!haveFrame) {
                throw new DicomException("JPEG-LS: no frame header (SOF55) before EOI");
            }
            if (!allComponentsDone()) {
                throw new DicomException("JPEG-LS: stream ends before every component was decoded");
            }
            return new DecodedFrame(out, image.photometric());
        }

        private boolean allComponentsDone() {
            if (componentDone == null) {
                return false;
            }
            for (boolean done : componentDone) {
                if (!done) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isOtherStartOfFrame(int marker) {
            return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        }

        /** Finds the next marker at {@code pos} (fill bytes 0xFF allowed), returns its code. */
        private int nextMarker() throws DicomException {
            if (pos + 1 >= data.length) {
                throw new DicomException("JPEG-LS: stream ends without an EOI marker (byte " + pos + ")");
            }
            if ((data[pos] & 0xFF) != 0xFF) {
                throw new DicomException(String.format("JPEG-LS: expected a marker at byte %d, found 0x%02X",
                        pos, data[pos] & 0xFF));
            }
            while (pos + 1 < data.length && (data[pos + 1] & 0xFF) == 0xFF) {
                pos++;
            }
            if (pos + 1 >= data.length) {
                throw new DicomException("JPEG-LS: stream ends without an EOI marker (byte " + pos + ")");
            }
            int marker = data[pos + 1] & 0xFF;
            pos += 2;
            return marker;
        }

        /** Reads a segment length at {@code pos} and checks the segment fits; {@code pos} stays at the length. */
        private int segment() throws DicomException {
            if (pos + 2 > data.length) {
                throw new DicomException("JPEG-LS: truncated marker segment at byte " + pos);
            }
            int length = u16(pos);
            if (length < 2 || pos + length > data.length) {
                throw new DicomException("JPEG-LS: marker segment length " + length + " at byte " + pos
                        + " runs past the end of the frame (" + data.length + " bytes)");
            }
            return length;
        }

        private int u8(int at) {
            return data[at] & 0xFF;
        }

        private int u16(int at) {
            return (data[at] & 0xFF) << 8 | (data[at + 1] & 0xFF);
        }

        private void readFrameHeader(int length) throws DicomException {
            int at = pos;
            if (haveFrame) {
                throw new DicomException("JPEG-LS: second frame header (SOF55) at byte " + (at - 2));
            }
            if (length < 8) {
                throw new DicomException("JPEG-LS: frame header too short at byte " + at);
            }
            precision = u8(at + 2);
            int y = u16(at + 3);
            int x = u16(at + 5);
            int nf = u8(at + 7);
            if (length != 8 + 3 * nf) {
                throw new DicomException("JPEG-LS: frame header length " + length + " does not fit " + nf + " components");
            }
            if (precision < 2 || precision > 16) {
                throw new DicomException("JPEG-LS: unsupported sample precision " + precision + " bits");
            }
            if (precision > image.bitsAllocated()) {
                throw new DicomException("JPEG-LS: sample precision " + precision + " bits does not fit bits allocated "
                        + image.bitsAllocated());
            }
            if (nf != image.samplesPerPixel()) {
                throw new DicomException("JPEG-LS: frame has " + nf + " components, the image " + image.samplesPerPixel()
                        + " samples per pixel");
            }
            componentIds = new int[nf];
            componentDone = new boolean[nf];
            int sampling = -1;
            for (int c = 0; c < nf; c++) {
                int id = u8(at + 8 + 3 * c);
                int hv = u8(at + 9 + 3 * c);
                for (int d = 0; d < c; d++) {
                    if (componentIds[d] == id) {
                        throw new DicomException("JPEG-LS: duplicate component id " + id + " in the frame header");
                    }
                }
                if (sampling >= 0 && hv != sampling) {
                    throw new DicomException("JPEG-LS: sub-sampled components are not supported");
                }
                sampling = hv;
                componentIds[c] = id;
            }
            height = y != 0 ? y : oversizeHeight;
            width = x != 0 ? x : oversizeWidth;
            haveFrame = true;
            pos = at + length;
        }

        private void checkDimensions() throws DicomException {
            if (height == 0 && oversizeHeight != 0) {
                height = oversizeHeight;
            }
            if (width == 0 && oversizeWidth != 0) {
                width = oversizeWidth;
            }
            if (height == 0) {
                throw new DicomException("JPEG-LS: frame height 0 (defined by a DNL marker) is not supported");
            }
            if (height != image.rows() || width != image.columns()) {
                throw new DicomException("JPEG-LS: frame is " + width + " x " + height + ", the image "
                        + image.columns() + " x " + image.rows());
            }
        }

        private void readPresetParameters(int length) throws DicomException {
            int at = pos;
            if (length < 3) {
                throw new DicomException("JPEG-LS: LSE segment too short at byte " + at);
            }
            int id = u8(at + 2);
            switch (id) {
                case 1 -> {
                    if (length != 13) {
                        throw new DicomException("JPEG-LS: LSE preset parameters segment of length " + length);
                    }
                    int maxval = u16(at + 3);
                    if (haveFrame && maxval > (1 << precision) - 1) {
                        throw new DicomException("JPEG-LS: LSE MAXVAL " + maxval + " exceeds precision " + precision);
                    }
                    presetMaxval = maxval;
                    presetT1 = u16(at + 5);
                    presetT2 = u16(at + 7);
                    presetT3 = u16(at + 9);
                    presetReset = u16(at + 11);
                }
                case 2, 3 -> {
                    // mapping table (specification / continuation): only used by scans with Tm != 0,
                    // which are refused, so the table itself is skipped
                }
                case 4 -> {
                    if (length < 4) {
                        throw new DicomException("JPEG-LS: LSE oversize dimensions segment too short");
                    }
                    int wxy = u8(at + 3);
                    if (wxy < 2 || wxy > 4 || length != 4 + 2 * wxy) {
                        throw new DicomException("JPEG-LS: invalid LSE oversize dimensions segment");
                    }
                    long yy = 0;
                    long xx = 0;
                    for (int b = 0; b < wxy; b++) {
                        yy = yy << 8 | u8(at + 4 + b);
                        xx = xx << 8 | u8(at + 4 + wxy + b);
                    }
                    if (yy > Integer.MAX_VALUE || xx > Integer.MAX_VALUE) {
                        throw new DicomException("JPEG-LS: oversize dimensions " + xx + " x " + yy + " too large");
                    }
                    oversizeHeight = (int) yy;
                    oversizeWidth = (int) xx;
                    if (haveFrame) {
                        height = oversizeHeight;
                        width = oversizeWidth;
                    }
                }
                case 0x0D -> throw new DicomException(
                        "JPEG-LS: HP colour transform (LSE id 0x0D) is not supported");
                default -> throw new DicomException("JPEG-LS: unsupported LSE segment id " + id + " at byte " + at);
            }
            pos = at + length;
        }

        private void readRestartInterval(int length) throws DicomException {
            int at = pos;
            if (length < 4 || length > 6) {
                throw new DicomException("JPEG-LS: invalid DRI segment length " + length);
            }
            long ri = 0;
            for (int b = 2; b < length; b++) {
                ri = ri << 8 | u8(at + b);
            }
            restartInterval = (int) Math.min(ri, Integer.MAX_VALUE);
            pos = at + length;
        }

        private void checkColourTransform(int length) throws DicomException {
            int at = pos + 2;
            if (length >= 7 && data[at] == 'm' && data[at + 1] == 'r' && data[at + 2] == 'f' && data[at + 3] == 'x') {
                int transform = u8(at + 4);
                if (transform != 0) {
                    throw new DicomException("JPEG-LS: HP colour transform " + transform
                            + " (APP8 \"mrfx\") is not supported");
                }
            }
        }

        private void readScan(int length) throws DicomException {
            int at = pos;
            if (!haveFrame) {
                throw new DicomException("JPEG-LS: scan before the frame header (byte " + (at - 2) + ")");
            }
            checkDimensions();
            if (length < 6) {
                throw new DicomException("JPEG-LS: scan header too short at byte " + at);
            }
            int ns = u8(at + 2);
            if (ns < 1 || ns > componentIds.length || length != 6 + 2 * ns) {
                throw new DicomException("JPEG-LS: scan header with " + ns + " components, length " + length);
            }
            int[] comps = new int[ns];
            for (int s = 0; s < ns; s++) {
                int id = u8(at + 3 + 2 * s);
                int tm = u8(at + 4 + 2 * s);
                int index = -1;
                for (int c = 0; c < componentIds.length; c++) {
                    if (componentIds[c] == id) {
                        index = c;
                    }
                }
                if (index < 0) {
                    throw new DicomException("JPEG-LS: scan refers to unknown component id " + id);
                }
                if (componentDone[index]) {
                    throw new DicomException("JPEG-LS: component id " + id + " coded twice");
                }
                for (int d = 0; d < s; d++) {
                    if (comps[d] == index) {
                        throw new DicomException("JPEG-LS: component id " + id + " twice in one scan");
                    }
                }
                if (tm != 0) {
                    throw new DicomException("JPEG-LS: mapping tables (palette images) are not supported");
                }
                comps[s] = index;
            }
            int near = u8(at + 3 + 2 * ns);
            int ilv = u8(at + 4 + 2 * ns);
            int pointTransform = u8(at + 5 + 2 * ns);
            if (ilv > 2) {
                throw new DicomException("JPEG-LS: invalid interleave mode " + ilv);
            }
            if (ilv == 0 && ns != 1) {
                throw new DicomException("JPEG-LS: interleave mode none with " + ns + " components in one scan");
            }
            if ((pointTransform & 0x0F) != 0) {
                throw new DicomException("JPEG-LS: point transform " + (pointTransform & 0x0F) + " is not supported");
            }
            charLs1Sensitive |= CodingParameters.charLs1DefaultsDiffer(precision, near, presetMaxval, presetT1,
                    presetT2, presetT3);
            CodingParameters params = CodingParameters.resolve(precision, near, presetMaxval, presetT1, presetT2,
                    presetT3, presetReset, charLs1Defaults);
            if (out == null) {
                out = new byte[(int) image.nativeFrameBytes()];
            }
            pos = at + length;
            ScanDecoder decoder = new ScanDecoder(data, pos, params);
            if (ns == 1) {
                decodeSingle(decoder, comps[0]);
            } else if (ilv == 1) {
                decodeLineInterleaved(decoder, comps);
            } else {
                decodeSampleInterleaved(decoder, comps);
            }
            decoder.finish();
            for (int c : comps) {
                componentDone[c] = true;
            }
            pos = decoder.markerPosition();
        }

        private boolean restartDue(int line) {
            return restartInterval > 0 && line > 0 && line % restartInterval == 0;
        }

        private void decodeSingle(ScanDecoder decoder, int comp) throws DicomException {
            int[] prev = new int[width + 2];
            int[] cur = new int[width + 2];
            int rst = 0;
            for (int line = 0; line < height; line++) {
                DecodeDeadline.check();
                if (restartDue(line)) {
                    decoder.restart(rst);
                    rst = (rst + 1) & 7;
                    Arrays.fill(prev, 0);
                }
                decoder.decodeLine(prev, cur, width);
                writeLine(cur, line, comp);
                int[] t = prev;
                prev = cur;
                cur = t;
            }
        }

        private void decodeLineInterleaved(ScanDecoder decoder, int[] comps) throws DicomException {
            int ns = comps.length;
            int[][] prev = new int[ns][width + 2];
            int[][] cur = new int[ns][width + 2];
            int[] runIndex = new int[ns];
            int rst = 0;
            for (int line = 0; line < height; line++) {
                DecodeDeadline.check();
                if (restartDue(line)) {
                    decoder.restart(rst);
                    rst = (rst + 1) & 7;
                    for (int s = 0; s < ns; s++) {
                        Arrays.fill(prev[s], 0);
                        runIndex[s] = 0;
                    }
                }
                for (int s = 0; s < ns; s++) {
                    decoder.runIndex = runIndex[s];
                    decoder.decodeLine(prev[s], cur[s], width);
                    runIndex[s] = decoder.runIndex;
                    writeLine(cur[s], line, comps[s]);
                }
                int[][] t = prev;
                prev = cur;
                cur = t;
            }
        }

        private void decodeSampleInterleaved(ScanDecoder decoder, int[] comps) throws DicomException {
            int ns = comps.length;
            int[][] prev = new int[ns][width + 2];
            int[][] cur = new int[ns][width + 2];
            int rst = 0;
            for (int line = 0; line < height; line++) {
                DecodeDeadline.check();
                if (restartDue(line)) {
                    decoder.restart(rst);
                    rst = (rst + 1) & 7;
                    for (int s = 0; s < ns; s++) {
                        Arrays.fill(prev[s], 0);
                    }
                }
                decoder.decodeLineInterleaved(prev, cur, width, ns);
                for (int s = 0; s < ns; s++) {
                    writeLine(cur[s], line, comps[s]);
                }
                int[][] t = prev;
                prev = cur;
                cur = t;
            }
        }

        private void writeLine(int[] line, int y, int comp) {
            final byte[] o = out;
            final int spp = componentIds.length;
            final int w = width;
            int index = y * w * spp + comp;
            if (image.bitsAllocated() == 8) {
                for (int x = 1; x <= w; x++) {
                    o[index] = (byte) line[x];
                    index += spp;
                }
            } else {
                int b = index * 2;
                int step = spp * 2;
                for (int x = 1; x <= w; x++) {
                    int v = line[x];
                    o[b] = (byte) v;
                    o[b + 1] = (byte) (v >>> 8);
                    b += step;
                }
            }
        }
    }
}
