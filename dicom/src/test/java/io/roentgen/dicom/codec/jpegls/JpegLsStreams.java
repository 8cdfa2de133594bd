package io.roentgen.dicom.codec.jpegls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helper: splits a JPEG-LS stream into marker segments and scan data, and puts one together. */
final class JpegLsStreams {
    private JpegLsStreams() {}

    /**
     * One piece of a stream: a marker segment (marker bytes, length and body), a marker without
     * body (SOI, EOI, RSTm), or entropy-coded data ({@code marker == -1}).
     */
    record Part(int marker, byte[] bytes) {
        boolean isScanData() {
            return marker == -1;
        }
    }

    static List<Part> split(byte[] s) {
        List<Part> parts = new ArrayList<>();
        int pos = 0;
        while (pos < s.length) {
            if ((s[pos] & 0xFF) != 0xFF || pos + 1 >= s.length) {
                throw new IllegalArgumentException("no marker at " + pos);
            }
            int marker = s[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xD8 || marker == 0xD9 || marker >= 0xD0 && marker <= 0xD7) {
                parts.add(new Part(marker, Arrays.copyOfRange(s, pos, pos + 2)));
                pos += 2;
                if (marker == 0xD9) {
                    break;
                }
                if (marker == 0xD8) {
                    continue;
                }
            } else {
                int length = (s[pos + 2] & 0xFF) << 8 | (s[pos + 3] & 0xFF);
                parts.add(new Part(marker, Arrays.copyOfRange(s, pos, pos + 2 + length)));
                pos += 2 + length;
                if (marker != 0xDA) {
                    continue;
                }
            }
            // scan data (after SOS or RSTm) up to the next marker
            int end = pos;
            while (end + 1 < s.length && !((s[end] & 0xFF) == 0xFF && (s[end + 1] & 0x80) != 0)) {
                end++;
            }
            if (end + 1 >= s.length) {
                end = s.length;
            }
            parts.add(new Part(-1, Arrays.copyOfRange(s, pos, end)));
            pos = end;
        }
        return parts;
    }

    static byte[] join(List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            out.writeBytes(p.bytes());
        }
        return out.toByteArray();
    }

    static Part segment(int marker, int... body) {
        byte[] b = new byte[4 + body.length];
        b[0] = (byte) 0xFF;
        b[1] = (byte) marker;
        b[2] = (byte) ((body.length + 2) >> 8);
        b[3] = (byte) (body.length + 2);
        for (int i = 0; i < body.length; i++) {
            b[4 + i] = (byte) body[i];
        }
        return new Part(marker, b);
    }

    static int indexOf(List<Part> parts, int marker) {
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).marker() == marker) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Splices the streams of consecutive bands of rows (each band compressed on its own, with the
     * same parameters) into one stream with a restart interval of {@code bandRows} lines.
     */
    static byte[] spliceWithRestarts(List<byte[]> bands, int totalRows, int bandRows) {
        List<List<Part>> split = new ArrayList<>();
        for (byte[] b : bands) {
            split.add(split(b));
        }
        List<Part> first = split.get(0);
        List<Part> out = new ArrayList<>();
        int firstScan = indexOf(first, 0xDA);
        for (int i = 0; i < firstScan; i++) {
            Part p = first.get(i);
            if (p.marker() == 0xF7) {
                byte[] sof = p.bytes().clone();
                sof[5] = (byte) (totalRows >> 8);
                sof[6] = (byte) totalRows;
                p = new Part(0xF7, sof);
            }
            out.add(p);
        }
        out.add(segment(0xDD, bandRows >> 8, bandRows & 0xFF));
        int scans = (int) first.stream().filter(p -> p.marker() == 0xDA).count();
        for (int s = 0; s < scans; s++) {
            for (int b = 0; b < bands.size(); b++) {
                List<Part> band = split.get(b);
                int sos = nth(band, 0xDA, s);
                if (b == 0) {
                    out.add(band.get(sos));
                } else {
                    int m = 0xD0 + ((b - 1) & 7);
                    out.add(new Part(m, new byte[] {(byte) 0xFF, (byte) m}));
                }
                out.add(band.get(sos + 1));
            }
        }
        out.add(new Part(0xD9, new byte[] {(byte) 0xFF, (byte) 0xD9}));
        return join(out);
    }

    private static int nth(List<Part> parts, int marker, int n) {
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).marker() == marker && n-- == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("no scan " + n);
    }
}
