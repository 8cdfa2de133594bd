package io.roentgen.dicom.pixel;

import io.roentgen.dicom.DicomException;

/**
 * Colour frames to RGB: YBR_FULL, YBR_FULL_422 and YBR_ICT with the ITU-R BT.601 full-range
 * matrix of PS3.3 C.7.6.3.1.2 (chroma centred on 2^(BitsStored-1)); YBR_PARTIAL_422/420 with the
 * BT.601 partial-range matrix; PALETTE COLOR through its Red/Green/Blue LUTs. RGB is returned as
 * it is. Results are rounded to nearest and clamped to 0..2^BitsStored-1, as GDCM does (dcmtk
 * truncates, so the two differ by at most one).
 */
public final class ColorConversion {
    private ColorConversion() {}

    /**
     * The frame as RGB samples (3 per pixel, interleaved, unsigned).
     *
     * @param frame      a colour frame: RGB, YBR_FULL, YBR_FULL_422, YBR_ICT, YBR_PARTIAL_422,
     *                   YBR_PARTIAL_420 or PALETTE COLOR
     * @param attributes where the palette LUTs come from (only read for PALETTE COLOR)
     * @throws DicomException for a photometric interpretation this cannot convert, a PALETTE COLOR
     *     image without its LUTs, or segmented palette LUTs
     */
    public static Frame toRgb(Frame frame, PixelAttributes attributes) throws DicomException {
        String p = frame.photometric();
        switch (p) {
            case "RGB":
                return frame.signed() ? unsign(frame) : frame;
            case "YBR_FULL":
            case "YBR_FULL_422":
            case "YBR_ICT":
                return ybrToRgb(frame, false);
            case "YBR_PARTIAL_422":
            case "YBR_PARTIAL_420":
                return ybrToRgb(frame, true);
            case "PALETTE COLOR":
                if (attributes == null) {
                    throw new DicomException("PALETTE COLOR image without Palette Color Lookup Tables");
                }
                if (attributes.segmentedPalette()) {
                    throw new DicomException("Segmented Palette Color Lookup Table Data (0028,1221-1223) is not"
                            + " supported; only plain Palette Color LUT Data (0028,1201-1203)");
                }
                return paletteToRgb(frame, attributes.redPalette(), attributes.greenPalette(),
                        attributes.bluePalette());
            default:
                throw new DicomException("cannot convert PhotometricInterpretation '" + p + "' to RGB");
        }
    }

    /** Looks each stored value up in the three LUTs. */
    public static Frame paletteToRgb(Frame frame, PaletteLut red, PaletteLut green, PaletteLut blue)
            throws DicomException {
        if (red == null || green == null || blue == null) {
            throw new DicomException("PALETTE COLOR image without Red, Green and Blue Palette Color Lookup Table"
                    + " Descriptor (0028,1101-1103) and Data (0028,1201-1203)");
        }
        if (frame.samplesPerPixel() != 1) {
            throw new DicomException("PALETTE COLOR needs SamplesPerPixel 1, got " + frame.samplesPerPixel());
        }
        int bits = Math.max(red.bits(), Math.max(green.bits(), blue.bits()));
        int[] r = table(red, bits);
        int[] g = table(green, bits);
        int[] b = table(blue, bits);
        int[] s = frame.samples();
        int[] out = new int[s.length * 3];
        int last = red.entries() - 1;
        boolean sameIndexing = red.entries() == green.entries() && red.entries() == blue.entries()
                && red.firstMapped() == green.firstMapped() && red.firstMapped() == blue.firstMapped();
        if (sameIndexing) {
            int first = red.firstMapped();
            for (int i = 0, o = 0; i < s.length; i++, o += 3) {
                long k = (long) s[i] - first;
                int idx = k <= 0 ? 0 : k >= last ? last : (int) k;
                out[o] = r[idx];
                out[o + 1] = g[idx];
                out[o + 2] = b[idx];
            }
        } else {
            PaletteLut rr = new PaletteLut(red.entries(), red.firstMapped(), bits, r);
            PaletteLut gg = new PaletteLut(green.entries(), green.firstMapped(), bits, g);
            PaletteLut bb = new PaletteLut(blue.entries(), blue.firstMapped(), bits, b);
            for (int i = 0, o = 0; i < s.length; i++, o += 3) {
                out[o] = rr.lookup(s[i]);
                out[o + 1] = gg.lookup(s[i]);
                out[o + 2] = bb.lookup(s[i]);
            }
        }
        return new Frame(frame.rows(), frame.columns(), 3, bits <= 8 ? 8 : 16, bits, false, "RGB", out);
    }

    /** LUT values at {@code bits} (an 8-bit LUT beside 16-bit ones is scaled by 257). */
    private static int[] table(PaletteLut lut, int bits) {
        if (lut.bits() == bits) {
            return lut.values();
        }
        int[] v = lut.values().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= 257;
        }
        return v;
    }

    private static Frame unsign(Frame frame) {
        int offset = 1 << (frame.bitsStored() - 1);
        int[] s = frame.samples();
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i] + offset;
        }
        return new Frame(frame.rows(), frame.columns(), 3, frame.bitsAllocated(), frame.bitsStored(), false, "RGB",
                out);
    }

    private static Frame ybrToRgb(Frame frame, boolean partial) throws DicomException {
        if (frame.samplesPerPixel() != 3) {
            throw new DicomException(frame.photometric() + " needs SamplesPerPixel 3, got " + frame.samplesPerPixel());
        }
        int bits = frame.bitsStored();
        if (bits > 16) {
            throw new DicomException(frame.photometric() + " with BitsStored " + bits + " is not supported (at most 16)");
        }
        double max = (1 << bits) - 1;
        double half = 1 << (bits - 1);
        int signOffset = frame.signed() ? 1 << (bits - 1) : 0;
        int[] s = frame.samples();
        int[] out = new int[s.length];
        if (!partial) {
            for (int i = 0; i < s.length; i += 3) {
                double y = s[i] + signOffset;
                double cb = s[i + 1] + signOffset - half;
                double cr = s[i + 2] + signOffset - half;
                out[i] = clampRound(y + 1.402 * cr, max);
                out[i + 1] = clampRound(y - 0.344136 * cb - 0.714136 * cr, max);
                out[i + 2] = clampRound(y + 1.772 * cb, max);
            }
        } else {
            double scale = (1 << bits) / 256.0;
            double yOffset = 16 * scale;
            for (int i = 0; i < s.length; i += 3) {
                double y = 1.1644 * (s[i] + signOffset - yOffset);
                double cb = s[i + 1] + signOffset - half;
                double cr = s[i + 2] + signOffset - half;
                out[i] = clampRound(y + 1.5960 * cr, max);
                out[i + 1] = clampRound(y - 0.3918 * cb - 0.8130 * cr, max);
                out[i + 2] = clampRound(y + 2.0172 * cb, max);
            }
        }
        return new Frame(frame.rows(), frame.columns(), 3, frame.bitsAllocated(), bits, false, "RGB", out);
    }

    private static int clampRound(double v, double max) {
        double r = Math.floor(v + 0.5);
        return (int) (r < 0 ? 0 : r > max ? max : r);
    }
}
