package io.roentgen.dicom.image;

/** Channel-count conversion between grey and RGB models. */
public final class Channels {
    /** ITU-R BT.601 luma weights, as PIL's "L" mode and OpenCV's RGB2GRAY use. */
    static final float RED = 0.299f;
    static final float GREEN = 0.587f;
    static final float BLUE = 0.114f;

    private Channels() {}

    /** 1 -> 3 replicates the grey plane; 3 -> 1 takes the BT.601 luminance; same count is a no-op. */
    public static FloatImage convert(FloatImage image, int channels) {
        if (channels == image.channels()) {
            return image;
        }
        if (image.channels() == 1 && channels == 3) {
            return replicate(image);
        }
        if (image.channels() == 3 && channels == 1) {
            return luminance(image);
        }
        throw new IllegalArgumentException("cannot convert " + image.channels() + " channels to " + channels);
    }

    private static FloatImage replicate(FloatImage grey) {
        int plane = grey.planeSize();
        FloatImage out = FloatImage.zeros(3, grey.height(), grey.width());
        for (int c = 0; c < 3; c++) {
            System.arraycopy(grey.data(), 0, out.data(), c * plane, plane);
        }
        return out;
    }

    private static FloatImage luminance(FloatImage rgb) {
        int plane = rgb.planeSize();
        float[] in = rgb.data();
        FloatImage out = FloatImage.zeros(1, rgb.height(), rgb.width());
        float[] grey = out.data();
        for (int i = 0; i < plane; i++) {
            grey[i] = RED * in[i] + GREEN * in[plane + i] + BLUE * in[2 * plane + i];
        }
        return out;
    }
}
