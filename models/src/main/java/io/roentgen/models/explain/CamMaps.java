package io.roentgen.models.explain;

/**
 * From the raw map to the map people look at: resized to the input and scaled to [0, 1].
 * 0 means no evidence and 1 the most; the raw map is never negative (it is a ReLU), so dividing
 * by its maximum keeps that meaning. Unlike MONAI's default normaliser, which maps the maximum to
 * 0, nothing is ever inverted, and a map without evidence stays all zero instead of being
 * stretched into noise by a min-max scaling.
 */
public final class CamMaps {

    private CamMaps() {}

    /**
     * Bilinear resizing with half-pixel centres, as {@code cv2.resize(INTER_LINEAR)} (what
     * pytorch-grad-cam uses) and {@code torch.nn.functional.interpolate(align_corners=False)}.
     */
    public static float[] resize(float[] map, int height, int width, int toHeight, int toWidth) {
        float[] out = new float[toHeight * toWidth];
        double sy = (double) height / toHeight;
        double sx = (double) width / toWidth;
        for (int y = 0; y < toHeight; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, height - 1);
            int y1 = Math.min(y0 + 1, height - 1);
            double wy = fy - y0;
            for (int x = 0; x < toWidth; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, width - 1);
                int x1 = Math.min(x0 + 1, width - 1);
                double wx = fx - x0;
                double top = map[y0 * width + x0] * (1 - wx) + map[y0 * width + x1] * wx;
                double bottom = map[y1 * width + x0] * (1 - wx) + map[y1 * width + x1] * wx;
                out[y * toWidth + x] = (float) (top * (1 - wy) + bottom * wy);
            }
        }
        return out;
    }

    /** {@code v / max}: in [0, 1], 1 at the strongest evidence; all zero stays all zero. */
    public static float[] normalise(float[] map) {
        float max = 0;
        for (float v : map) {
            max = Math.max(max, v);
        }
        float[] out = new float[map.length];
        if (max > 0) {
            for (int i = 0; i < map.length; i++) {
                out[i] = Math.max(0, map[i]) / max;
            }
        }
        return out;
    }

    /** The raw map resized to the input and normalised. */
    public static float[] forInput(RawCam cam, int height, int width) {
        return normalise(resize(cam.map(), cam.height(), cam.width(), height, width));
    }

    /** Index of the largest value (the first on ties): where the map points. */
    public static int argMax(float[] map) {
        int best = 0;
        for (int i = 1; i < map.length; i++) {
            if (map[i] > map[best]) {
                best = i;
            }
        }
        return best;
    }
}
