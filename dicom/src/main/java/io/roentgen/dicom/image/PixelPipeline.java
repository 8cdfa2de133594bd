package io.roentgen.dicom.image;

import io.roentgen.dicom.pixel.ColorConversion;
import io.roentgen.dicom.pixel.Frame;
import io.roentgen.dicom.pixel.PixelAttributes;
import io.roentgen.dicom.pixel.VoiFunction;
import io.roentgen.dicom.pixel.VoiSpec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.image.FloatImage;

import java.util.Locale;
import java.util.Objects;

/**
 * Stored values of one frame to model input, the one function training and serving share:
 *
 * <ol>
 *   <li>Monochrome: Modality LUT (Rescale Slope/Intercept), then the VOI step chosen by
 *       {@link VoiSpec} (the file's window with its VOI LUT Function, an explicit window, a
 *       percentile window or min-max), then MONOCHROME1 inversion; one channel.</li>
 *   <li>Colour (RGB, YBR_*, PALETTE COLOR): {@link ColorConversion#toRgb} then each sample divided
 *       by 2^BitsStored-1 (or the palette's 2^bits-1); three channels. Rescale and VOI do not apply
 *       to colour (PS3.3 C.11.1, C.11.2).</li>
 * </ol>
 *
 * The result is float32 in [0, 1], {@code C x H x W}. Instances are immutable settings made with
 * {@link #builder()}; {@link #toJson()} / {@link #fromJson(String)} round-trip them for model
 * bundles. Thread-safe.
 *
 * <p>Modality LUT Sequence (0028,3000) and VOI LUT Sequence (0028,3010) are not applied.
 */
public final class PixelPipeline {
    /** Widest stored-value range that is mapped through a precomputed table. */
    private static final long MAX_TABLE = 1 << 20;
    /** Histogram bins for value ranges wider than {@link #MAX_TABLE}. */
    private static final int WIDE_BINS = 1 << 16;

    private final VoiSpec voi;
    private final boolean invertMonochrome1;

    private PixelPipeline(VoiSpec voi, boolean invertMonochrome1) {
        this.voi = Objects.requireNonNull(voi, "voi");
        this.invertMonochrome1 = invertMonochrome1;
    }

    /** The file's window (min-max without one), MONOCHROME1 inverted. */
    public static PixelPipeline defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().voi(voi).invertMonochrome1(invertMonochrome1);
    }

    public VoiSpec voi() {
        return voi;
    }

    public boolean invertMonochrome1() {
        return invertMonochrome1;
    }

    /**
     * Runs the pipeline on one frame.
     *
     * @param frame      stored values from {@link NativePixelDecoder}
     * @param attributes rescale, window and palette attributes of the instance
     * @return float32 in [0, 1], 1 channel for MONOCHROME1/2, 3 (RGB) for colour
     * @throws DicomException for attributes that cannot be applied (non-finite rescale, a colour
     *     model without conversion, palette LUTs missing or segmented)
     */
    public FloatImage apply(Frame frame, PixelAttributes attributes) throws DicomException {
        Objects.requireNonNull(frame, "frame");
        PixelAttributes attrs = attributes == null ? PixelAttributes.NONE : attributes;
        if (isMonochrome(frame)) {
            return monochrome(frame, attrs);
        }
        return colour(frame, attrs);
    }

    /**
     * Modality values (e.g. Hounsfield units): {@code stored * slope + intercept} for each pixel of
     * a monochrome frame, row-major, as float32 (what {@link NpyWriter#writeFloat32} stores).
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

    private FloatImage monochrome(Frame frame, PixelAttributes attrs) throws DicomException {
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
        Window window = window(frame, attrs, slope, intercept, min, max);
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

    private Window window(Frame frame, PixelAttributes attrs, double slope, double intercept, long min, long max) {
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

    // ---------------------------------------------------------------- JSON

    /**
     * The settings as JSON, e.g.
     * {@code {"voi":{"mode":"PERCENTILE","lowPercentile":0.5,"highPercentile":99.5},"invertMonochrome1":true}}.
     * Only the fields the mode uses are written.
     */
    public String toJson() {
        return toJsonTree().toString();
    }

    /** The settings as a Gson tree, for embedding in a larger document. */
    public JsonObject toJsonTree() {
        JsonObject v = new JsonObject();
        v.addProperty("mode", voi.mode().name());
        switch (voi.mode()) {
            case EXPLICIT -> {
                v.addProperty("center", voi.center());
                v.addProperty("width", voi.width());
                v.addProperty("function", voi.function().name());
            }
            case PERCENTILE -> {
                v.addProperty("lowPercentile", voi.lowPercentile());
                v.addProperty("highPercentile", voi.highPercentile());
            }
            default -> { }
        }
        JsonObject o = new JsonObject();
        o.add("voi", v);
        o.addProperty("invertMonochrome1", invertMonochrome1);
        return o;
    }

    /**
     * Reads settings written by {@link #toJson()}. Missing fields take the defaults (FILE window,
     * MONOCHROME1 inverted).
     *
     * @throws IllegalArgumentException for malformed JSON or invalid settings
     */
    public static PixelPipeline fromJson(String json) {
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("pixel pipeline settings must be a JSON object");
            }
            return fromJsonTree(e.getAsJsonObject());
        } catch (JsonParseException | IllegalStateException | NumberFormatException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("malformed pixel pipeline settings: " + e.getMessage(), e);
        }
    }

    /** Reads settings from a Gson tree: see {@link #fromJson(String)}. */
    public static PixelPipeline fromJsonTree(JsonObject o) {
        Builder b = builder();
        if (o.has("invertMonochrome1")) {
            b.invertMonochrome1(o.get("invertMonochrome1").getAsBoolean());
        }
        if (o.has("voi")) {
            JsonObject v = o.getAsJsonObject("voi");
            String mode = v.has("mode") ? v.get("mode").getAsString().toUpperCase(Locale.ROOT) : "FILE";
            switch (mode) {
                case "FILE" -> b.voi(VoiSpec.file());
                case "MINMAX" -> b.voi(VoiSpec.minMax());
                case "EXPLICIT" -> b.voi(VoiSpec.explicit(number(v, "center"), number(v, "width"),
                        v.has("function") ? VoiFunction.valueOf(v.get("function").getAsString()
                                .toUpperCase(Locale.ROOT)) : VoiFunction.LINEAR));
                case "PERCENTILE" -> b.voi(VoiSpec.percentile(number(v, "lowPercentile"),
                        number(v, "highPercentile")));
                default -> throw new IllegalArgumentException("unknown VOI mode '" + mode
                        + "' (FILE, EXPLICIT, PERCENTILE or MINMAX)");
            }
        }
        return b.build();
    }

    private static double number(JsonObject o, String name) {
        if (!o.has(name)) {
            throw new IllegalArgumentException("VOI mode " + o.get("mode").getAsString() + " needs '" + name + "'");
        }
        return o.get(name).getAsDouble();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelPipeline p && p.invertMonochrome1 == invertMonochrome1 && p.voi.equals(voi);
    }

    @Override
    public int hashCode() {
        return Objects.hash(voi, invertMonochrome1);
    }

    @Override
    public String toString() {
        return "PixelPipeline" + toJson();
    }

    /** Builder for {@link PixelPipeline}; defaults: {@link VoiSpec#file()}, invert MONOCHROME1. */
    public static final class Builder {
        private VoiSpec voi = VoiSpec.file();
        private boolean invertMonochrome1 = true;

        private Builder() {}

        public Builder voi(VoiSpec spec) {
            this.voi = Objects.requireNonNull(spec, "voi");
            return this;
        }

        public Builder invertMonochrome1(boolean invert) {
            this.invertMonochrome1 = invert;
            return this;
        }

        public PixelPipeline build() {
            return new PixelPipeline(voi, invertMonochrome1);
        }
    }
}
