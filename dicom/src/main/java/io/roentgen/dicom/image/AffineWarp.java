package io.roentgen.dicom.image;

/**
 * Rotation about the image centre, isotropic scale and translation in one pass: each output pixel
 * maps back through the inverse transform and is sampled bilinearly; neighbours outside the image
 * read {@code fill}. The inverse mapping advances by constant steps along a row, so the loop does
 * two additions per pixel instead of a matrix product.
 */
final class AffineWarp {
    private AffineWarp() {}

    /**
     * @param radians counter-clockwise rotation (in image coordinates, y down)
     * @param scale magnification, above 1 zooms in
     * @param shiftX output shift in pixels, positive to the right
     * @param shiftY output shift in pixels, positive downwards
     */
    static FloatImage apply(FloatImage image, double radians, double scale, double shiftX, double shiftY, float fill) {
        int h = image.height();
        int w = image.width();
        double centreX = (w - 1) / 2.0;
        double centreY = (h - 1) / 2.0;
        // Inverse of p' = s R (p - c) + c + t is p = R^-1 (p' - c - t) / s + c.
        double cos = Math.cos(radians) / scale;
        double sin = Math.sin(radians) / scale;
        FloatImage out = FloatImage.zeros(image.channels(), h, w);
        for (int y = 0; y < h; y++) {
            double dy = y - centreY - shiftY;
            double dx = -centreX - shiftX;
            double sourceX = cos * dx + sin * dy + centreX;
            double sourceY = -sin * dx + cos * dy + centreY;
            for (int x = 0; x < w; x++) {
                sampleAllChannels(image, out, y * w + x, sourceX, sourceY, fill);
                sourceX += cos;
                sourceY -= sin;
            }
        }
        return out;
    }

    private static void sampleAllChannels(FloatImage image, FloatImage out, int target, double sx, double sy, float fill) {
        int h = image.height();
        int w = image.width();
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        float fx = (float) (sx - x0);
        float fy = (float) (sy - y0);
        boolean inside = x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h;
        float[] in = image.data();
        int plane = image.planeSize();
        for (int c = 0; c < image.channels(); c++) {
            int base = c * plane;
            float topLeft;
            float topRight;
            float bottomLeft;
            float bottomRight;
            if (inside) {
                int i = base + y0 * w + x0;
                topLeft = in[i];
                topRight = in[i + 1];
                bottomLeft = in[i + w];
                bottomRight = in[i + w + 1];
            } else {
                topLeft = at(in, base, w, h, x0, y0, fill);
                topRight = at(in, base, w, h, x0 + 1, y0, fill);
                bottomLeft = at(in, base, w, h, x0, y0 + 1, fill);
                bottomRight = at(in, base, w, h, x0 + 1, y0 + 1, fill);
            }
            float top = topLeft + fx * (topRight - topLeft);
            float bottom = bottomLeft + fx * (bottomRight - bottomLeft);
            out.data()[base + target] = top + fy * (bottom - top);
        }
    }

    private static float at(float[] in, int base, int w, int h, int x, int y, float fill) {
        return x >= 0 && y >= 0 && x < w && y < h ? in[base + y * w + x] : fill;
    }
}
