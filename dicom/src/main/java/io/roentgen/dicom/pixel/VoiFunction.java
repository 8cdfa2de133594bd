package io.roentgen.dicom.pixel;

import java.util.Locale;

/** VOI LUT Function (0028,1056), PS3.3 C.11.2.1.2/3. */
public enum VoiFunction {
    /** C.11.2.1.2.1: the window with the -0.5 / -1 terms (the default). */
    LINEAR,
    /** C.11.2.1.3.2: exactly centre +- width/2. */
    LINEAR_EXACT,
    /** C.11.2.1.3.1: 1 / (1 + exp(-4 (x - c) / w)). */
    SIGMOID;

    /**
     * The function the attribute names; LINEAR when absent, empty or unknown (PS3.3 says an
     * unknown value is treated as LINEAR).
     */
    public static VoiFunction fromDicom(String value) {
        if (value == null) {
            return LINEAR;
        }
        return switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "LINEAR_EXACT" -> LINEAR_EXACT;
            case "SIGMOID" -> SIGMOID;
            default -> LINEAR;
        };
    }

    /**
     * The function at {@code x} for centre {@code c} and width {@code w}, scaled to [0, 1].
     * LINEAR needs {@code w >= 1}, the others {@code w > 0}.
     */
    public double apply(double x, double c, double w) {
        switch (this) {
            case LINEAR: {
                double lo = c - 0.5 - (w - 1) / 2;
                double hi = c - 0.5 + (w - 1) / 2;
                if (x <= lo) {
                    return 0.0;
                }
                if (x > hi) {
                    return 1.0;
                }
                return (x - (c - 0.5)) / (w - 1) + 0.5;
            }
            case LINEAR_EXACT: {
                if (x <= c - w / 2) {
                    return 0.0;
                }
                if (x > c + w / 2) {
                    return 1.0;
                }
                return (x - c) / w + 0.5;
            }
            default:
                return 1.0 / (1.0 + Math.exp(-4.0 * (x - c) / w));
        }
    }
}
