package io.roentgen.dicom.image;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.pixel.ColorConversion;
import io.roentgen.dicom.pixel.Frame;
import io.roentgen.dicom.pixel.PixelAttributes;
import io.roentgen.dicom.pixel.VoiFunction;
import io.roentgen.dicom.pixel.VoiSpec;

import java.util.Objects;

/**
 * The {@code window} step of {@link Preprocessing}: stored values of one frame to float32 in
 * [0, 1], {@code C x H x W}.
 *
 * <ol>
 *   <li>Monochrome: Modality LUT (Rescale Slope/Intercept), then the VOI step chosen by
 *       {@link VoiSpec} (the file's window with its VOI LUT Function, an explicit window, a
 *       percentile window or min-max), then MONOCHROME1 inversion; one channel. The three are
 *       fused into one table lookup per sample.</li>
 *   <li>Colour (RGB, YBR_*, PALETTE COLOR): {@link ColorConversion#toRgb} then each sample divided
 *       by 2^BitsStored-1 (or the palette's 2^bits-1); three channels. Rescale and VOI do not apply
 *       to colour (PS3.3 C.11.1, C.11.2).</li>
 * </ol>
 *
 * <p>Modality LUT Sequence (0028,3000) and VOI LUT Sequence (0028,3010) are not applied.
 */
public final class Windowing {
    /** Widest stored-value range that is mapped through a precomputed table. */
    private static final long MAX_TABLE = 1 << 20;
    /** Histogram bins for value ranges wider than {@link #MAX_TABLE}. */
    private static final int WIDE_BINS = 1 << 16;

    private Windowing() {}

    /**
     * Windows one frame.
     *
     * @param frame      stored values from {@link io.roentgen.dicom.pixel.DicomPixels}
     * @param attributes rescale, window and palette attributes of the instance (null: none)
     * @return float32 in [0, 1], 1 channel for MONOCHROME1/2, 3 (RGB) for colour
     * @throws DicomException for attributes that cannot be applied (non-finite rescale, a colour
     *     model without conversion, palette LUTs missing or segmented)
     */
    // Package-private: callers run it through Preprocessing, the one preprocessing entry point.
    static FloatImage apply(Frame frame, PixelAttributes attributes, VoiSpec voi, boolean invertMonochrome1)
            throws DicomException {
        Objects.requireNonNull(frame, "frame");
        PixelAttributes attrs = attributes == null ? PixelAttributes.NONE : attributes;
        if (isMonochrome(frame)) {
            return monochrome(frame, attrs, voi, invertMonochrome1);
        }
        return colour(frame, attrs);
    }

    /**
     * Modality values (e.g. Hounsfield units): {@code stored * slope + intercept} for each pixel of
     * a monochrome frame, row-major, as float32 (what {@link io.roentgen.dicom.pixel.NpyWriter#writeFloat32} stores).
     *
     * @throws DicomException when the frame is not monochrome or the rescale is not finite
     */
    public static float[] modalityValues(Frame frame, PixelAttributes attributes) throws DicomException {
        if (!isMonochrome(frame)) {
            throw new DicomException("Rescale Slope/Intercept apply to monochrome images only, not "
                    + frame.photometric());
        }
        PixelAttributes attrs = attributes == null ? PixelAttributes.NONE : attributes;
        double slope = attrs.rescaleSlope();
        double intercept = attrs.rescaleIntercept();
        checkRescale(slope, intercept);
        short[] sh = frame.shortSamples();
        if (sh != null) { // 16-bit: no widening to ints first
            float[] out = new float[sh.length];
            int bits = frame.signed() ? -1 : 0xFFFF;
            for (int i = 0; i < sh.length; i++) {
                out[i] = (float) ((sh[i] & bits) * slope + intercept);
            }
            return out;
        }
        int[] s = frame.samples();
        float[] out = new float[s.length];
        if (frame.isUnsigned32()) {
            for (int i = 0; i < s.length; i++) {
                out[i] = (float) (Integer.toUnsignedLong(s[i]) * slope + intercept);
            }
        } else {
            for (int i = 0; i < s.length; i++) {
                out[i] = (float) (s[i] * slope + intercept);
            }
        }
        return out;
    }

    private static boolean isMonochrome(Frame frame) {
        String p = frame.photometric();
        return frame.samplesPerPixel() == 1 && (p.startsWith("MONOCHROME") || p.isEmpty());
    }

    private static void checkRescale(double slope, double intercept) throws DicomException {
        if (!Double.isFinite(slope) || !Double.isFinite(intercept)) {
            throw new DicomException("Rescale Slope (0028,1053) and Intercept (0028,1052) must be finite, got "
                    + slope + " and " + intercept);
        }
    }

    // ---------------------------------------------------------------- monochrome

    private static FloatImage monochrome(Frame frame, PixelAttributes attrs, VoiSpec voi, boolean invertMonochrome1)
            throws DicomException {
        double slope = attrs.rescaleSlope();
        double intercept = attrs.rescaleIntercept();
        checkRescale(slope, intercept);
        // 16-bit frames are read as stored, without widening them to an int per sample first.
        short[] sh = frame.shortSamples();
        int[] s = sh == null ? frame.samples() : null;
        boolean u32 = frame.isUnsigned32();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        if (sh != null) {
            int mn = Integer.MAX_VALUE;
            int mx = Integer.MIN_VALUE;
            int bits = frame.signed() ? -1 : 0xFFFF; // unsigned: drop the sign extension
            for (short v : sh) {
                int x = v & bits;
                mn = Math.min(mn, x);
                mx = Math.max(mx, x);
            }
            min = mn;
            max = mx;
        } else if (u32) {
            for (int v : s) {
                long x = Integer.toUnsignedLong(v);
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        } else {
            int mn = Integer.MAX_VALUE;
            int mx = Integer.MIN_VALUE;
            for (int v : s) {
                mn = Math.min(mn, v);
                mx = Math.max(mx, v);
            }
            min = mn;
            max = mx;
        }
        Window window = window(frame, attrs, voi, slope, intercept, min, max);
        boolean invert = invertMonochrome1 && frame.photometric().equals("MONOCHROME1");
        float[] out = new float[sh != null ? sh.length : s.length];
        long range = max - min + 1;
        if (range <= MAX_TABLE) { // always for 16-bit frames
            float[] table = new float[(int) range];
            for (int i = 0; i < table.length; i++) {
                double y = window.apply((min + i) * slope + intercept);
                table[i] = (float) (invert ? 1.0 - y : y);
            }
            if (sh != null) {
                int base = (int) min;
                int bits = frame.signed() ? -1 : 0xFFFF;
                for (int i = 0; i < sh.length; i++) {
                    out[i] = table[(sh[i] & bits) - base];
                }
            } else if (u32) {
                for (int i = 0; i < s.length; i++) {
                    out[i] = table[(int) (Integer.toUnsignedLong(s[i]) - min)];
                }
            } else {
                int base = (int) min;
                for (int i = 0; i < s.length; i++) {
                    out[i] = table[s[i] - base];
                }
            }
        } else {
            for (int i = 0; i < s.length; i++) {
                long v = u32 ? Integer.toUnsignedLong(s[i]) : s[i];
                double y = window.apply(v * slope + intercept);
                out[i] = (float) (invert ? 1.0 - y : y);
            }
        }
        return new FloatImage(out, 1, frame.rows(), frame.columns());
    }

    private static Window window(Frame frame, PixelAttributes attrs, VoiSpec voi, double slope, double intercept,
            long min, long max) {
        switch (voi.mode()) {
            case FILE:
                if (attrs.hasWindow()) {
                    VoiFunction f = VoiFunction.fromDicom(attrs.voiLutFunction());
                    double w = attrs.firstWindowWidth();
                    if (f != VoiFunction.LINEAR || w >= 1) {
                        return Window.of(f, attrs.firstWindowCenter(), w);
                    }
                }
                return Window.range(min * slope + intercept, max * slope + intercept);
            case EXPLICIT:
                return Window.of(voi.function(), voi.center(), voi.width());
            case PERCENTILE: {
                long[] lohi = percentiles(frame, min, max, voi.lowPercentile(), voi.highPercentile());
                return Window.range(lohi[0] * slope + intercept, lohi[1] * slope + intercept);
            }
            default:
                return Window.range(min * slope + intercept, max * slope + intercept);
        }
    }

    /**
     * The stored values at two percentiles (nearest rank: the smallest value at least {@code p}%
     * of the samples are less than or equal to; numpy's {@code method="inverted_cdf"}), from a
     * histogram: exact for ranges up to 2^20 values, to 1/65536 of the range beyond.
     */
    static long[] percentiles(Frame frame, long min, long max, double low, double high) {
        int[] s = frame.samples();
        boolean u32 = frame.isUnsigned32();
        long range = max - min + 1;
        int bins;
        double binWidth;
        if (range <= MAX_TABLE) {
            bins = (int) range;
            binWidth = 1;
        } else {
            bins = WIDE_BINS;
            binWidth = (double) range / WIDE_BINS;
        }
        int[] hist = new int[bins];
        if (binWidth == 1 && !u32) {
            int base = (int) min;
            for (int v : s) {
                hist[v - base]++;
            }
        } else {
            for (int v : s) {
                long x = u32 ? Integer.toUnsignedLong(v) : v;
                hist[(int) Math.min(bins - 1, (long) ((x - min) / binWidth))]++;
            }
        }
        long n = s.length;
        return new long[] {
            rankValue(hist, n, low, min, binWidth, max), rankValue(hist, n, high, min, binWidth, max)
        };
    }

    private static long rankValue(int[] hist, long n, double percent, long min, double binWidth, long max) {
        long k = (long) Math.ceil(percent / 100.0 * n - 1e-9);
        k = Math.max(1, Math.min(n, k));
        long cum = 0;
        for (int b = 0; b < hist.length; b++) {
            cum += hist[b];
            if (cum >= k) {
                return Math.min(max, min + (long) Math.floor(b * binWidth));
            }
        }
        return max;
    }

    /** A VOI function with its parameters, or a linear min..max ramp. */
    private static final class Window {
        private final VoiFunction function;
        private final double c;
        private final double w;
        private final boolean ramp;
        private final double lo;
        private final double hi;

        private Window(VoiFunction function, double c, double w, boolean ramp, double lo, double hi) {
            this.function = function;
            this.c = c;
            this.w = w;
            this.ramp = ramp;
            this.lo = lo;
            this.hi = hi;
        }

        static Window of(VoiFunction f, double c, double w) {
            return new Window(f, c, w, false, 0, 0);
        }

        static Window range(double a, double b) {
            return new Window(null, 0, 0, true, Math.min(a, b), Math.max(a, b));
        }

        double apply(double x) {
            if (!ramp) {
                return function.apply(x, c, w);
            }
            if (hi <= lo || x <= lo) {
                return 0.0;
            }
            return x >= hi ? 1.0 : (x - lo) / (hi - lo);
        }
    }

    // ---------------------------------------------------------------- colour

    private static FloatImage colour(Frame frame, PixelAttributes attrs) throws DicomException {
        Frame rgb = ColorConversion.toRgb(frame, attrs);
        int pixels = rgb.pixelCount();
        int[] s = rgb.samples();
        float[] out = new float[pixels * 3];
        double max = rgb.bitsStored() >= 32 ? 4294967295.0 : (double) ((1L << rgb.bitsStored()) - 1);
        float scale = (float) (1.0 / max);
        boolean u32 = rgb.isUnsigned32();
        for (int c = 0; c < 3; c++) {
            int o = c * pixels;
            for (int i = 0; i < pixels; i++) {
                int v = s[3 * i + c];
                float f = u32 ? (float) (Integer.toUnsignedLong(v) / max) : v * scale;
                out[o + i] = f < 0f ? 0f : f > 1f ? 1f : f;
            }
        }
        return new FloatImage(out, 3, rgb.rows(), rgb.columns());
    }
}
