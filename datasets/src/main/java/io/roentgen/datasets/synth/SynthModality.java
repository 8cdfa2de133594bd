package io.roentgen.datasets.synth;

import io.roentgen.engine.RoentgenException;
import java.util.Locale;

/**
 * How each modality stores the phantom's Hounsfield-like values: all as 12 bits stored in 16
 * allocated, unsigned.
 * <ul>
 *   <li>CT: stored = HU + 1024 with Rescale Intercept -1024 (slope 1), lung window -600/1500.
 *   <li>CR: a linear attenuation-like scale, 200 (air) to about 3700 (dense bone); some series are
 *       MONOCHROME1 (stored inverted), as many real radiographs are. Window 2048/4096.
 *   <li>MR: a T1-like tissue contrast (fat bright, air and cortical bone dark) by piecewise linear
 *       mapping of the same tissue values; window 600/1200.
 * </ul>
 */
public enum SynthModality {
    CT("1.2.840.10008.5.1.4.1.1.2", "ORIGINAL\\PRIMARY\\AXIAL", -600, 1500),
    CR("1.2.840.10008.5.1.4.1.1.1", "ORIGINAL\\PRIMARY", 2048, 4096),
    MR("1.2.840.10008.5.1.4.1.1.4", "ORIGINAL\\PRIMARY\\M", 600, 1200);

    static final int MAX_STORED = 4095;
    static final int CT_INTERCEPT = -1024;

    // MR: tissue value (HU-like) -> signal, knots ascending in HU.
    private static final float[] MR_HU = {-1000, -850, -100, 40, 300, 700, 3000};
    private static final float[] MR_SIGNAL = {0, 30, 900, 500, 250, 120, 80};

    private final String sopClassUid;
    private final String imageType;
    private final int windowCenter;
    private final int windowWidth;

    SynthModality(String sopClassUid, String imageType, int windowCenter, int windowWidth) {
        this.sopClassUid = sopClassUid;
        this.imageType = imageType;
        this.windowCenter = windowCenter;
        this.windowWidth = windowWidth;
    }

    public String sopClassUid() {
        return sopClassUid;
    }

    String imageType() {
        return imageType;
    }

    int windowCenter() {
        return windowCenter;
    }

    int windowWidth() {
        return windowWidth;
    }

    /** Parses {@code CT|CR|MR}, any case. */
    public static SynthModality parse(String text) throws RoentgenException {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage("--modality must be CT, CR or MR, not '" + text + "'");
        }
    }

    /**
     * Stores the phantom's tissue values as little-endian unsigned 16-bit samples, 12 bits used.
     *
     * @param monochrome1 store inverted (CR only)
     */
    byte[] toStored(float[] hu, boolean monochrome1) {
        byte[] out = new byte[hu.length * 2];
        for (int i = 0; i < hu.length; i++) {
            int v = clamp(Math.round(stored(hu[i])));
            if (monochrome1) {
                v = MAX_STORED - v;
            }
            out[2 * i] = (byte) v;
            out[2 * i + 1] = (byte) (v >>> 8);
        }
        return out;
    }

    private float stored(float hu) {
        return switch (this) {
            case CT -> hu - CT_INTERCEPT;
            case CR -> (hu + 1000f) * (3500f / 2200f) + 200f;
            case MR -> mrSignal(hu);
        };
    }

    private static float mrSignal(float hu) {
        if (hu <= MR_HU[0]) {
            return MR_SIGNAL[0];
        }
        for (int k = 1; k < MR_HU.length; k++) {
            if (hu <= MR_HU[k]) {
                float t = (hu - MR_HU[k - 1]) / (MR_HU[k] - MR_HU[k - 1]);
                return MR_SIGNAL[k - 1] + t * (MR_SIGNAL[k] - MR_SIGNAL[k - 1]);
            }
        }
        return MR_SIGNAL[MR_SIGNAL.length - 1];
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, MAX_STORED);
    }
}
