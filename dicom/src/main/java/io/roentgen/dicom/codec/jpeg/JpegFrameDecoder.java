package io.roentgen.dicom.codec.jpeg;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.codec.DecodeDeadline;
import io.roentgen.dicom.codec.PixelDecoder.DecodedFrame;
import io.roentgen.dicom.ImageDescriptor;

import java.util.Arrays;

/**
 * Decodes one JPEG interchange-format stream (ITU-T T.81) of a DICOM frame: the Huffman
 * sequential DCT processes 1, 2 and 4 (SOF0, SOF1: 8- and 12-bit) and the Huffman lossless
 * process 14 (SOF3: 2 to 16 bits, predictors 1 to 7, point transform), single- and
 * multi-component, interleaved or not, with restart intervals. Lossy frames decode as IJG's
 * library (and so dcmtk and GDCM) does by default: the accurate integer IDCT, "fancy"
 * (triangular) chroma upsampling, and IJG's fixed-point YCbCr to RGB conversion.
 *
 * <p>One instance decodes one frame; it is not shared between threads.
 */
final class JpegFrameDecoder {
    /** Natural-order index of the k-th zig-zag coefficient; 16 extra entries absorb run overshoot as IJG does. */
    private static final int[] NATURAL = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
        63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63
    };

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int DQT = 0xDB;
    private static final int DNL = 0xDC;
    private static final int DRI = 0xDD;
    private static final int DHT = 0xC4;

    private final byte[] d;
    private final int end;
    private final ImageDescriptor image;
    private int pos;

    private final int[][] quant = new int[4][];
    private final HuffmanTable[] dcTables = new HuffmanTable[4];
    private final HuffmanTable[] acTables = new HuffmanTable[4];
    private int restartInterval;
    private boolean jfif;
    private int adobeTransform = -1;

    private int sofMarker = -1;
    private boolean lossless;
    private int precision;
    private int width;
    private int height;
    private boolean heightFromDnl;
    private Component[] comps;
    private int hmax;
    private int vmax;
    private int mcusX;
    private int mcusY;
    private int bytesPerSample;
    private byte[] out;
    private Idct idct;
    private int scans;

    private static final class Component {
        int id;
        int index;
        int h;
        int v;
        int tq;
        /** Samples per line and lines of the (possibly subsampled) component. */
        int w;
        int hgt;
        int planeW;
        short[] plane;
        boolean decoded;
    }

    private final boolean colourConversion;

    JpegFrameDecoder(byte[] data, ImageDescriptor image) {
        this(data, image, true);
    }

    /** @param colourConversion false keeps YCbCr components as they are (tests compare with GDCM, which does) */
    JpegFrameDecoder(byte[] data, ImageDescriptor image, boolean colourConversion) {
        this.d = data;
        this.end = data.length;
        this.image = image;
        this.colourConversion = colourConversion;
    }

    DecodedFrame decode() throws DicomException {
        if (image.bitsAllocated() != 8 && image.bitsAllocated() != 16) {
            throw new DicomException("JPEG: Bits Allocated " + image.bitsAllocated() + " is not 8 or 16");
        }
        if (end < 4 || (d[0] & 0xFF) != 0xFF || (d[1] & 0xFF) != SOI) {
            throw new DicomException("JPEG: stream does not start with SOI");
        }
        pos = 2;
        while (true) {
            int m = readMarker();
            if (m < 0) {
                if (sofMarker < 0) {
                    throw new DicomException("JPEG: no SOF marker before the end of the stream");
                }
                if (scans == 0) {
                    throw new DicomException("JPEG: no SOS marker before the end of the stream");
                }
                throw new DicomException("JPEG: stream ends without EOI");
            }
            switch (m) {
                case EOI:
                    return finish();
                case SOI:
                    throw new DicomException("JPEG: unexpected SOI at offset " + (pos - 2));
                case 0xC0, 0xC1, 0xC3:
                    readSof(m);
                    break;
                case 0xC2, 0xC6:
                    throw new DicomException("JPEG: progressive JPEG (SOF" + (m - 0xC0) + ") is not supported");
                case 0xC5, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF:
                    throw new DicomException("JPEG: unsupported JPEG process (SOF" + (m - 0xC0) + ")");
                case DHT:
                    readDht();
                    break;
                case DQT:
                    readDqt();
                    break;
                case DRI:
                    readDri();
                    break;
                case SOS:
                    readSosAndDecode();
                    break;
                case DNL:
                    readDnl();
                    break;
                case 0xE0:
                    readApp0();
                    break;
                case 0xEE:
                    readApp14();
                    break;
                case 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0x01:
                    break; // stray RSTn or TEM: no segment
                default:
                    skipSegment();
                    break;
            }
        }
    }

    // ---------------------------------------------------------------- markers and segments

    /** Next marker code at or after pos, skipping fill and garbage bytes as IJG does; -1 at the end. */
    private int readMarker() {
        int p = pos;
        while (p + 1 < end) {
            if ((d[p] & 0xFF) == 0xFF) {
                int m = d[p + 1] & 0xFF;
                if (m == 0xFF) {
                    p++;
                    continue;
                }
                if (m != 0) {
                    pos = p + 2;
                    return m;
                }
                p += 2;
            } else {
                p++;
            }
        }
        pos = end;
        return -1;
    }

    private int u8(int p) {
        return d[p] & 0xFF;
    }

    private int u16(int p) {
        return ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF);
    }

    /** Reads a segment's length; returns the segment's end and leaves pos at its first data byte. */
    private int segment(String name) throws DicomException {
        if (pos + 2 > end) {
            throw new DicomException("JPEG: truncated " + name + " segment at offset " + pos);
        }
        int len = u16(pos);
        if (len < 2 || pos + len > end) {
            throw new DicomException("JPEG: bad " + name + " segment length " + len + " at offset " + pos);
        }
        int segEnd = pos + len;
        pos += 2;
        return segEnd;
    }

    private void need(int p, int n, int segEnd, String name) throws DicomException {
        if (p + n > segEnd) {
            throw new DicomException("JPEG: " + name + " segment too short at offset " + p);
        }
    }

    private void skipSegment() throws DicomException {
        pos = segment("marker");
    }

    private void readApp0() throws DicomException {
        int segEnd = segment("APP0");
        if (segEnd - pos >= 5 && u8(pos) == 'J' && u8(pos + 1) == 'F' && u8(pos + 2) == 'I'
                && u8(pos + 3) == 'F' && u8(pos + 4) == 0) {
            jfif = true;
        }
        pos = segEnd;
    }

    private void readApp14() throws DicomException {
        int segEnd = segment("APP14");
        if (segEnd - pos >= 12 && u8(pos) == 'A' && u8(pos + 1) == 'd' && u8(pos + 2) == 'o'
                && u8(pos + 3) == 'b' && u8(pos + 4) == 'e') {
            adobeTransform = u8(pos + 11);
        }
        pos = segEnd;
    }

    private void readDri() throws DicomException {
        int segEnd = segment("DRI");
        need(pos, 2, segEnd, "DRI");
        restartInterval = u16(pos);
        pos = segEnd;
    }

    private void readDnl() throws DicomException {
        int segEnd = segment("DNL");
        need(pos, 2, segEnd, "DNL");
        int nl = u16(pos);
        if (heightFromDnl && nl != height) {
            throw new DicomException("JPEG: DNL gives " + nl + " lines, the image has " + height + " rows");
        }
        pos = segEnd;
    }

    private void readDqt() throws DicomException {
        int segEnd = segment("DQT");
        while (pos < segEnd) {
            int pqTq = u8(pos++);
            int pq = pqTq >> 4;
            int tq = pqTq & 15;
            if (pq > 1 || tq > 3) {
                throw new DicomException("JPEG: bad DQT table " + tq + " precision " + pq);
            }
            need(pos, pq == 0 ? 64 : 128, segEnd, "DQT");
            int[] q = new int[64];
            for (int k = 0; k < 64; k++) {
                q[NATURAL[k]] = pq == 0 ? u8(pos + k) : u16(pos + 2 * k);
            }
            pos += pq == 0 ? 64 : 128;
            quant[tq] = q;
        }
    }

    private void readDht() throws DicomException {
        int segEnd = segment("DHT");
        while (pos < segEnd) {
            need(pos, 17, segEnd, "DHT");
            int tcTh = u8(pos++);
            int tc = tcTh >> 4;
            int th = tcTh & 15;
            if (tc > 1 || th > 3) {
                throw new DicomException("JPEG: bad DHT table class " + tc + " id " + th);
            }
            int[] counts = new int[16];
            int total = 0;
            for (int i = 0; i < 16; i++) {
                counts[i] = u8(pos++);
                total += counts[i];
            }
            if (total > 256) {
                throw new DicomException("JPEG: DHT table with " + total + " codes");
            }
            need(pos, total, segEnd, "DHT");
            int[] symbols = new int[total];
            for (int i = 0; i < total; i++) {
                symbols[i] = u8(pos++);
            }
            HuffmanTable t = new HuffmanTable(counts, symbols);
            if (tc == 0) {
                dcTables[th] = t;
            } else {
                acTables[th] = t;
            }
        }
    }

    private void readSof(int marker) throws DicomException {
        if (sofMarker >= 0) {
            throw new DicomException("JPEG: more than one SOF marker (hierarchical JPEG is not supported)");
        }
        int segEnd = segment("SOF");
        need(pos, 6, segEnd, "SOF");
        sofMarker = marker;
        lossless = marker == 0xC3;
        precision = u8(pos);
        height = u16(pos + 1);
        width = u16(pos + 3);
        int nf = u8(pos + 5);
        pos += 6;
        if (lossless ? precision < 2 || precision > 16
                : marker == 0xC0 ? precision != 8 : precision != 8 && precision != 12) {
            throw new DicomException("JPEG: precision " + precision + " is not valid for SOF" + (marker - 0xC0));
        }
        if (precision > image.bitsAllocated()) {
            throw new DicomException("JPEG: precision " + precision + " does not fit Bits Allocated "
                    + image.bitsAllocated());
        }
        if (width != image.columns()) {
            throw new DicomException("JPEG: frame is " + width + " samples wide, the image has "
                    + image.columns() + " columns");
        }
        if (height == 0) {
            heightFromDnl = true;
            height = image.rows();
        } else if (height != image.rows()) {
            throw new DicomException("JPEG: frame has " + height + " lines, the image has " + image.rows() + " rows");
        }
        if (width == 0 || height == 0) {
            throw new DicomException("JPEG: empty frame");
        }
        if (nf != image.samplesPerPixel() || nf < 1 || nf > 4) {
            throw new DicomException("JPEG: frame has " + nf + " components, the image has "
                    + image.samplesPerPixel() + " samples per pixel");
        }
        need(pos, 3 * nf, segEnd, "SOF");
        comps = new Component[nf];
        hmax = 1;
        vmax = 1;
        for (int i = 0; i < nf; i++) {
            Component c = new Component();
            c.index = i;
            c.id = u8(pos);
            c.h = u8(pos + 1) >> 4;
            c.v = u8(pos + 1) & 15;
            c.tq = u8(pos + 2);
            pos += 3;
            if (c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4) {
                throw new DicomException("JPEG: bad sampling factors " + c.h + "x" + c.v);
            }
            if (!lossless && c.tq > 3) {
                throw new DicomException("JPEG: quantisation table id " + c.tq + " out of range");
            }
            for (int j = 0; j < i; j++) {
                if (comps[j].id == c.id) {
                    throw new DicomException("JPEG: duplicate component id " + c.id);
                }
            }
            hmax = Math.max(hmax, c.h);
            vmax = Math.max(vmax, c.v);
            comps[i] = c;
        }
        pos = segEnd;
        long frameBytes = image.nativeFrameBytes();
        if (frameBytes > Integer.MAX_VALUE - 16) {
            throw new DicomException("JPEG: frame of " + frameBytes + " bytes is too large");
        }
        bytesPerSample = image.bitsAllocated() / 8;
        if (lossless) {
            if (nf > 1) {
                for (Component c : comps) {
                    if (c.h != comps[0].h || c.v != comps[0].v) {
                        throw new DicomException("JPEG: subsampled lossless JPEG is not supported");
                    }
                }
            }
            // Without subsampling every component is full size and one MCU is one sample each.
            for (Component c : comps) {
                c.h = 1;
                c.v = 1;
                c.w = width;
                c.hgt = height;
            }
            hmax = 1;
            vmax = 1;
            out = new byte[(int) frameBytes];
            return;
        }
        for (Component c : comps) {
            if (hmax % c.h != 0 || vmax % c.v != 0) {
                throw new DicomException("JPEG: fractional sampling factors are not supported");
            }
        }
        mcusX = (width + 8 * hmax - 1) / (8 * hmax);
        mcusY = (height + 8 * vmax - 1) / (8 * vmax);
        for (Component c : comps) {
            c.w = (int) (((long) width * c.h + hmax - 1) / hmax);
            c.hgt = (int) (((long) height * c.v + vmax - 1) / vmax);
            c.planeW = mcusX * c.h * 8;
            // The plane is at most 8 * 4 - 1 samples larger than the frame in each direction.
            c.plane = new short[c.planeW * mcusY * c.v * 8];
        }
        idct = new Idct(precision);
    }

    private void readSosAndDecode() throws DicomException {
        if (sofMarker < 0) {
            throw new DicomException("JPEG: SOS before SOF");
        }
        int segEnd = segment("SOS");
        need(pos, 1, segEnd, "SOS");
        int ns = u8(pos++);
        if (ns < 1 || ns > 4) {
            throw new DicomException("JPEG: SOS with " + ns + " components");
        }
        need(pos, 2 * ns + 3, segEnd, "SOS");
        Component[] sc = new Component[ns];
        HuffmanTable[] dcs = new HuffmanTable[ns];
        HuffmanTable[] acs = new HuffmanTable[ns];
        int blocksPerMcu = 0;
        for (int i = 0; i < ns; i++) {
            int cs = u8(pos);
            int td = u8(pos + 1) >> 4;
            int ta = u8(pos + 1) & 15;
            pos += 2;
            Component c = null;
            for (Component x : comps) {
                if (x.id == cs) {
                    c = x;
                }
            }
            if (c == null) {
                throw new DicomException("JPEG: SOS names component " + cs + " that the frame does not have");
            }
            for (int j = 0; j < i; j++) {
                if (sc[j] == c) {
                    throw new DicomException("JPEG: SOS names component " + cs + " twice");
                }
            }
            if (td > 3 || ta > 3) {
                throw new DicomException("JPEG: Huffman table id out of range in SOS");
            }
            dcs[i] = dcTables[td];
            acs[i] = acTables[ta];
            if (!lossless && acs[i] != null) {
                acs[i].buildFastAc();
            }
            if (dcs[i] == null || (!lossless && acs[i] == null)) {
                throw new DicomException("JPEG: SOS uses an undefined Huffman table");
            }
            if (!lossless && quant[c.tq] == null) {
                throw new DicomException("JPEG: component " + cs + " uses undefined quantisation table " + c.tq);
            }
            sc[i] = c;
            blocksPerMcu += c.h * c.v;
        }
        int ss = u8(pos);
        int al = u8(pos + 2) & 15;
        pos = segEnd;
        if (ns > 1 && blocksPerMcu > 10) {
            throw new DicomException("JPEG: MCU of " + blocksPerMcu + " blocks exceeds 10");
        }
        for (Component c : sc) {
            if (c.decoded) {
                throw new DicomException("JPEG: component " + c.id + " appears in more than one scan");
            }
        }
        if (lossless) {
            if (ss < 1 || ss > 7) {
                throw new DicomException("JPEG: lossless predictor " + ss + " is not 1 to 7");
            }
            if (al >= precision) {
                throw new DicomException("JPEG: point transform " + al + " is not below precision " + precision);
            }
            decodeLosslessScan(sc, dcs, ss, al);
        } else {
            decodeDctScan(sc, dcs, acs);
        }
        for (Component c : sc) {
            c.decoded = true;
        }
        scans++;
    }

    /** Consumes the RSTn marker that must follow a restart interval. */
    private static void restart(BitReader br, int expected) throws DicomException {
        int m = br.nextMarker();
        if (m != 0xD0 + expected) {
            throw new DicomException(m < 0 ? "JPEG: stream ends where a restart marker is due"
                    : String.format("JPEG: expected RST%d marker, found FF%02X", expected, m));
        }
    }

    /** After a scan: position the marker parser at the marker that ends it. */
    private void endScan(BitReader br) {
        int m = br.nextMarker();
        pos = br.position();
        if (m >= 0) {
            br.unreadMarker();
            pos = br.position();
        }
    }

    // ---------------------------------------------------------------- sequential DCT

    private void decodeDctScan(Component[] sc, HuffmanTable[] dcs, HuffmanTable[] acs) throws DicomException {
        BitReader br = new BitReader(d, pos, end);
        int ns = sc.length;
        int[] pred = new int[ns];
        int[] coef = new int[64];
        int total;
        int bw = 0;
        if (ns == 1) {
            Component c = sc[0];
            bw = (c.w + 7) / 8;
            total = bw * ((c.hgt + 7) / 8);
        } else {
            total = mcusX * mcusY;
        }
        int ri = restartInterval;
        int left = ri;
        int rst = 0;
        for (int m = 0; m < total; m++) {
            if ((m & 1023) == 0) {
                DecodeDeadline.check();
            }
            if (ri > 0) {
                if (left == 0) {
                    restart(br, rst);
                    rst = (rst + 1) & 7;
                    left = ri;
                    Arrays.fill(pred, 0);
                }
                left--;
            }
            if (ns == 1) {
                Component c = sc[0];
                int bx = m % bw;
                int by = m / bw;
                pred[0] = decodeBlock(br, dcs[0], acs[0], pred[0], coef, quant[c.tq], c.plane,
                        by * 8 * c.planeW + bx * 8, c.planeW);
            } else {
                int mx = m % mcusX;
                int my = m / mcusX;
                for (int k = 0; k < ns; k++) {
                    Component c = sc[k];
                    int[] q = quant[c.tq];
                    for (int v = 0; v < c.v; v++) {
                        int rowOff = ((my * c.v + v) * 8) * c.planeW;
                        for (int h = 0; h < c.h; h++) {
                            pred[k] = decodeBlock(br, dcs[k], acs[k], pred[k], coef, q, c.plane,
                                    rowOff + (mx * c.h + h) * 8, c.planeW);
                        }
                    }
                }
            }
        }
        endScan(br);
    }

    /** Decodes one 8x8 block (T.81 F.2.2) and writes its inverse DCT; returns the new DC predictor. */
    private int decodeBlock(BitReader br, HuffmanTable dc, HuffmanTable ac, int pred, int[] coef, int[] q,
            short[] plane, int off, int stride) throws DicomException {
        br.ensure32();
        int s = br.decode(dc);
        if (s != 0) {
            if (s > 16) {
                throw new DicomException("JPEG: bad DC difference category " + s);
            }
            pred += extend(br.bits(s), s);
        }
        boolean acs = false;
        int[] fastAc = ac.fastAc;
        for (int k = 1; k < 64; k++) {
            br.ensure32();
            int fe = fastAc[br.peek()];
            if (fe != 0) {
                br.skip(fe & 15);
                k += (fe >> 4) & 15;
                coef[NATURAL[k]] = fe >> 16;
                acs = true;
                continue;
            }
            int rs = br.decode(ac);
            int r = rs >> 4;
            s = rs & 15;
            if (s == 0) {
                if (r != 15) {
                    break;
                }
                k += 15;
                continue;
            }
            k += r;
            coef[NATURAL[k]] = extend(br.bits(s), s);
            acs = true;
        }
        if (acs) {
            coef[0] = pred;
            idct.transform(coef, q, plane, off, stride);
            Arrays.fill(coef, 0);
        } else {
            idct.transformDcOnly(pred, q[0], plane, off, stride);
        }
        return pred;
    }

    private static int extend(int v, int s) {
        return v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
    }

    // ---------------------------------------------------------------- lossless

    private void decodeLosslessScan(Component[] sc, HuffmanTable[] tables, int psv, int pt) throws DicomException {
        int ns = sc.length;
        int w = width;
        int rowsPerInterval = 0;
        if (restartInterval > 0) {
            if (restartInterval % w != 0) {
                throw new DicomException("JPEG: lossless restart interval " + restartInterval
                        + " is not a whole number of lines of " + w);
            }
            rowsPerInterval = restartInterval / w;
        }
        int init = 1 << (precision - pt - 1);
        int[][] prev = new int[ns][w];
        int[][] cur = new int[ns][w];
        BitReader br = new BitReader(d, pos, end);
        int rowsLeft = rowsPerInterval;
        int rst = 0;
        int nc = comps.length;
        for (int y = 0; y < height; y++) {
            DecodeDeadline.check();
            boolean first = y == 0;
            if (rowsPerInterval > 0) {
                if (rowsLeft == 0) {
                    restart(br, rst);
                    rst = (rst + 1) & 7;
                    rowsLeft = rowsPerInterval;
                    first = true;
                }
                rowsLeft--;
            }
            if (ns == 1) {
                decodeLosslessRow(br, tables[0], cur[0], prev[0], first, psv, init);
            } else {
                decodeLosslessRowInterleaved(br, tables, cur, prev, first, psv, init);
            }
            for (int k = 0; k < ns; k++) {
                writeRow(cur[k], y, sc[k].index, nc, pt);
                int[] t = prev[k];
                prev[k] = cur[k];
                cur[k] = t;
            }
        }
        endScan(br);
    }

    private static int diff(BitReader br, HuffmanTable t) throws DicomException {
        int s = br.decode(t);
        if (s == 0) {
            return 0;
        }
        if (s >= 16) {
            if (s == 16) {
                return 32768; // T.81 H.1.2.2: no extra bits follow
            }
            throw new DicomException("JPEG: bad lossless difference category " + s);
        }
        return extend(br.bits(s), s);
    }

    private static void decodeLosslessRow(BitReader br, HuffmanTable t, int[] cur, int[] prev, boolean first,
            int psv, int init) throws DicomException {
        int w = cur.length;
        br.ensure32();
        cur[0] = ((first ? init : prev[0]) + diff(br, t)) & 0xFFFF;
        if (first) {
            for (int x = 1; x < w; x++) {
                br.ensure32();
                cur[x] = (cur[x - 1] + diff(br, t)) & 0xFFFF;
            }
            return;
        }
        switch (psv) {
            case 1 -> {
                for (int x = 1; x < w; x++) {
                    br.ensure32();
                    cur[x] = (cur[x - 1] + diff(br, t)) & 0xFFFF;
                }
            }
            case 2 -> {
                for (int x = 1; x < w; x++) {
                    br.ensure32();
                    cur[x] = (prev[x] + diff(br, t)) & 0xFFFF;
                }
            }
            case 3 -> {
                for (int x = 1; x < w; x++) {
                    br.ensure32();
                    cur[x] = (prev[x - 1] + diff(br, t)) & 0xFFFF;
                }
            }
            case 4 -> {
                for (int x = 1; x < w; x++) {
                    br.ensure32();
                    cur[x] = (cur[x - 1] + prev[x] - prev[x - 1] + diff(br, t)) & 0xFFFF;
                }
            }
            case 5 -> {
                for (int x = 1; x < w; x++) {
                    br.ensure32();
                    cur[x] = (cur[x - 1] + ((prev[x] - prev[x - 1]) >> 1) + diff(br, t)) & 0xFFFF;
                }
            }
            case 6 -> {
                for (int x = 1; x < w; x++) {
                    br.ensure32();
                    cur[x] = (prev[x] + ((cur[x - 1] - prev[x - 1]) >> 1) + diff(br, t)) & 0xFFFF;
                }
            }
            default -> {
                for (int x = 1; x < w; x++) {
                    br.ensure32();
                    cur[x] = (((cur[x - 1] + prev[x]) >> 1) + diff(br, t)) & 0xFFFF;
                }
            }
        }
    }

    private static void decodeLosslessRowInterleaved(BitReader br, HuffmanTable[] t, int[][] cur, int[][] prev,
            boolean first, int psv, int init) throws DicomException {
        int ns = cur.length;
        int w = cur[0].length;
        for (int x = 0; x < w; x++) {
            for (int k = 0; k < ns; k++) {
                int[] c = cur[k];
                int[] p = prev[k];
                int px;
                if (x == 0) {
                    px = first ? init : p[0];
                } else if (first) {
                    px = c[x - 1];
                } else {
                    px = predict(psv, c[x - 1], p[x], p[x - 1]);
                }
                br.ensure32();
                c[x] = (px + diff(br, t[k])) & 0xFFFF;
            }
        }
    }

    private static int predict(int psv, int ra, int rb, int rc) {
        return switch (psv) {
            case 1 -> ra;
            case 2 -> rb;
            case 3 -> rc;
            case 4 -> ra + rb - rc;
            case 5 -> ra + ((rb - rc) >> 1);
            case 6 -> rb + ((ra - rc) >> 1);
            default -> (ra + rb) >> 1;
        };
    }

    private void writeRow(int[] row, int y, int ci, int nc, int pt) {
        byte[] o = out;
        int w = row.length;
        int i = (y * w * nc + ci);
        if (bytesPerSample == 1) {
            for (int x = 0; x < w; x++, i += nc) {
                o[i] = (byte) (row[x] << pt);
            }
        } else {
            int step = 2 * nc;
            int b = 2 * i;
            for (int x = 0; x < w; x++, b += step) {
                int v = row[x] << pt;
                o[b] = (byte) v;
                o[b + 1] = (byte) (v >> 8);
            }
        }
    }

    // ---------------------------------------------------------------- output

    private DecodedFrame finish() throws DicomException {
        if (sofMarker < 0) {
            throw new DicomException("JPEG: EOI before SOF");
        }
        for (Component c : comps) {
            if (!c.decoded) {
                throw new DicomException("JPEG: no scan for component " + c.id);
            }
        }
        String pi = image.photometric() == null ? "" : image.photometric().trim();
        boolean ybr = pi.equals("YBR_FULL") || pi.equals("YBR_FULL_422") || pi.equals("YBR_PARTIAL_422");
        String outPi = pi.equals("YBR_FULL_422") || pi.equals("YBR_PARTIAL_422") ? "YBR_FULL" : image.photometric();
        if (lossless) {
            return new DecodedFrame(out, outPi);
        }
        boolean convert = colourConversion && comps.length == 3 && convertsColour(ybr);
        out = new byte[(int) image.nativeFrameBytes()];
        emitDct(convert);
        return new DecodedFrame(out, convert ? "RGB" : outPi);
    }

    /**
     * Whether the three components are YCbCr to be converted to RGB. dcmtk's dcmdjpeg decides by
     * the DICOM Photometric Interpretation alone (YBR_FULL, YBR_FULL_422, YBR_PARTIAL_422: convert;
     * RGB: keep the components as they are). An Adobe APP14 marker states the encoder's transform
     * explicitly, so it takes precedence where present (transform 0: the components are RGB).
     */
    private boolean convertsColour(boolean ybrPhotometric) {
        if (adobeTransform >= 0) {
            return adobeTransform != 0;
        }
        return ybrPhotometric;
    }

    private void emitDct(boolean convert) {
        int nc = comps.length;
        int w = width;
        int[][] rows = new int[nc][];
        for (int k = 0; k < nc; k++) {
            rows[k] = new int[Math.max(w, comps[k].planeW * (hmax / comps[k].h)) + 2];
        }
        int max = (1 << precision) - 1;
        ColourTables ct = convert ? ColourTables.forPrecision(precision) : null;
        byte[] o = out;
        boolean bytes = bytesPerSample == 1;
        for (int y = 0; y < height; y++) {
            for (int k = 0; k < nc; k++) {
                upsampleRow(comps[k], y, rows[k]);
            }
            int i = y * w * nc;
            if (convert) {
                int[] yr = rows[0];
                int[] cbr = rows[1];
                int[] crr = rows[2];
                int[] crR = ct.crR;
                int[] cbB = ct.cbB;
                int[] crG = ct.crG;
                int[] cbG = ct.cbG;
                for (int x = 0; x < w; x++, i += 3) {
                    int yy = yr[x];
                    int cb = cbr[x];
                    int cr = crr[x];
                    int r = clamp(yy + crR[cr], max);
                    int g = clamp(yy + ((cbG[cb] + crG[cr]) >> 16), max);
                    int b = clamp(yy + cbB[cb], max);
                    if (bytes) {
                        o[i] = (byte) r;
                        o[i + 1] = (byte) g;
                        o[i + 2] = (byte) b;
                    } else {
                        put16(o, i, r);
                        put16(o, i + 1, g);
                        put16(o, i + 2, b);
                    }
                }
            } else if (nc == 1) {
                int[] r0 = rows[0];
                if (bytes) {
                    for (int x = 0; x < w; x++) {
                        o[i + x] = (byte) r0[x];
                    }
                } else {
                    for (int x = 0; x < w; x++) {
                        put16(o, i + x, r0[x]);
                    }
                }
            } else {
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < nc; k++, i++) {
                        if (bytes) {
                            o[i] = (byte) rows[k][x];
                        } else {
                            put16(o, i, rows[k][x]);
                        }
                    }
                }
            }
        }
    }

    private static void put16(byte[] o, int sampleIndex, int v) {
        o[2 * sampleIndex] = (byte) v;
        o[2 * sampleIndex + 1] = (byte) (v >> 8);
    }

    private static int clamp(int v, int max) {
        return v < 0 ? 0 : (v > max ? max : v);
    }

    /**
     * Output row y of a component at full resolution, upsampled as IJG 6b (dcmtk's copy) does:
     * triangular ("fancy") filters for 2:1 horizontal and 2:1 both ways, plain replication for
     * other integral factors; the component's edges are replicated.
     */
    private void upsampleRow(Component c, int y, int[] dst) {
        short[] p = c.plane;
        int stride = c.planeW;
        int hf = hmax / c.h;
        int vf = vmax / c.v;
        if (hf == 1 && vf == 1) {
            int o = y * stride;
            for (int x = 0; x < width; x++) {
                dst[x] = p[o + x];
            }
            return;
        }
        int n = c.w;
        if (hf == 2 && vf == 1 && n > 2) {
            int o = y * stride;
            int v = p[o];
            dst[0] = v;
            dst[1] = (v * 3 + p[o + 1] + 2) >> 2;
            for (int i = 1; i < n - 1; i++) {
                int t = p[o + i] * 3;
                dst[2 * i] = (t + p[o + i - 1] + 1) >> 2;
                dst[2 * i + 1] = (t + p[o + i + 1] + 2) >> 2;
            }
            v = p[o + n - 1];
            dst[2 * n - 2] = (v * 3 + p[o + n - 2] + 1) >> 2;
            dst[2 * n - 1] = v;
            return;
        }
        if (hf == 2 && vf == 2 && n > 2) {
            int r = y >> 1;
            int other = (y & 1) == 0 ? Math.max(r - 1, 0) : Math.min(r + 1, c.hgt - 1);
            int o0 = r * stride;
            int o1 = other * stride;
            int thisSum = p[o0] * 3 + p[o1];
            int nextSum = p[o0 + 1] * 3 + p[o1 + 1];
            dst[0] = (thisSum * 4 + 8) >> 4;
            dst[1] = (thisSum * 3 + nextSum + 7) >> 4;
            int lastSum = thisSum;
            thisSum = nextSum;
            for (int i = 1; i < n - 1; i++) {
                nextSum = p[o0 + i + 1] * 3 + p[o1 + i + 1];
                dst[2 * i] = (thisSum * 3 + lastSum + 8) >> 4;
                dst[2 * i + 1] = (thisSum * 3 + nextSum + 7) >> 4;
                lastSum = thisSum;
                thisSum = nextSum;
            }
            dst[2 * n - 2] = (thisSum * 3 + lastSum + 8) >> 4;
            dst[2 * n - 1] = (thisSum * 4 + 7) >> 4;
            return;
        }
        int o = (y / vf) * stride;
        for (int x = 0; x < width; x++) {
            dst[x] = p[o + x / hf];
        }
    }

    /** IJG's fixed-point YCbCr to RGB tables (jdcolor.c), for one sample precision. */
    static final class ColourTables {
        private static final ColourTables EIGHT = new ColourTables(8);
        private static final ColourTables TWELVE = new ColourTables(12);
        final int[] crR;
        final int[] cbB;
        final int[] crG;
        final int[] cbG;

        private ColourTables(int precision) {
            int size = 1 << precision;
            int center = size / 2;
            crR = new int[size];
            cbB = new int[size];
            crG = new int[size];
            cbG = new int[size];
            int half = 1 << 15;
            for (int i = 0; i < size; i++) {
                int x = i - center;
                crR[i] = (fix(1.40200) * x + half) >> 16;
                cbB[i] = (fix(1.77200) * x + half) >> 16;
                crG[i] = -fix(0.71414) * x;
                cbG[i] = -fix(0.34414) * x + half;
            }
        }

        private static int fix(double v) {
            return (int) (v * 65536 + 0.5);
        }

        static ColourTables forPrecision(int precision) {
            return precision == 8 ? EIGHT : TWELVE;
        }
    }
}
