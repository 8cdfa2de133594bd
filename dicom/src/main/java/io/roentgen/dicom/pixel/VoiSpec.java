package io.roentgen.dicom.pixel;

import java.util.Objects;

/**
 * How the window step ({@code io.roentgen.dicom.image.Windowing}) chooses the window of a monochrome image (the VOI step).
 *
 * @param mode           where the window comes from
 * @param center         EXPLICIT only: window centre, in modality units (after rescale)
 * @param width          EXPLICIT only: window width ({@code >= 1} for LINEAR, {@code > 0} otherwise)
 * @param function       EXPLICIT only: the VOI LUT function; FILE uses the file's (0028,1056)
 * @param lowPercentile  PERCENTILE only: value mapped to 0, in percent (0..100)
 * @param highPercentile PERCENTILE only: value mapped to 1, in percent, above {@code lowPercentile}
 */
public record VoiSpec(Mode mode, double center, double width, VoiFunction function, double lowPercentile,
        double highPercentile) {

    /** Where the window comes from. */
    public enum Mode {
        /**
         * The first Window Center/Width (0028,1050/1051) of the file with its VOI LUT Function;
         * min-max when the file has no usable window.
         */
        FILE,
        /** {@code center} and {@code width} with {@code function}. */
        EXPLICIT,
        /** {@code lowPercentile} .. {@code highPercentile} of the frame's values, linearly. */
        PERCENTILE,
        /** The frame's minimum .. maximum, linearly. */
        MINMAX
    }

    public VoiSpec {
        Objects.requireNonNull(mode, "mode");
        function = function == null ? VoiFunction.LINEAR : function;
        if (mode == Mode.EXPLICIT) {
            if (!Double.isFinite(center) || !Double.isFinite(width)) {
                throw new IllegalArgumentException("explicit window needs a finite centre and width");
            }
            if (function == VoiFunction.LINEAR ? width < 1 : width <= 0) {
                throw new IllegalArgumentException("window width " + width + " is too small for " + function
                        + (function == VoiFunction.LINEAR ? " (at least 1)" : " (above 0)"));
            }
        }
        if (mode == Mode.PERCENTILE) {
            if (!(lowPercentile >= 0 && lowPercentile < highPercentile && highPercentile <= 100)) {
                throw new IllegalArgumentException("percentiles must satisfy 0 <= low < high <= 100, got "
                        + lowPercentile + " and " + highPercentile);
            }
        }
    }

    /** The file's window (min-max when it has none). */
    public static VoiSpec file() {
        return new VoiSpec(Mode.FILE, Double.NaN, Double.NaN, VoiFunction.LINEAR, Double.NaN, Double.NaN);
    }

    /** A fixed LINEAR window, e.g. {@code explicit(40, 400)} for a CT soft-tissue window in HU. */
    public static VoiSpec explicit(double center, double width) {
        return explicit(center, width, VoiFunction.LINEAR);
    }

    /** A fixed window with the given function. */
    public static VoiSpec explicit(double center, double width, VoiFunction function) {
        return new VoiSpec(Mode.EXPLICIT, center, width, function, Double.NaN, Double.NaN);
    }

    /** A window from percentiles of each frame, e.g. {@code percentile(0.5, 99.5)}. */
    public static VoiSpec percentile(double low, double high) {
        return new VoiSpec(Mode.PERCENTILE, Double.NaN, Double.NaN, VoiFunction.LINEAR, low, high);
    }

    /** Each frame's minimum to maximum. */
    public static VoiSpec minMax() {
        return new VoiSpec(Mode.MINMAX, Double.NaN, Double.NaN, VoiFunction.LINEAR, Double.NaN, Double.NaN);
    }
}
