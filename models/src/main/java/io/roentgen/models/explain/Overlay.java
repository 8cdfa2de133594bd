package io.roentgen.models.explain;

import io.roentgen.dicom.image.FloatImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * The normalised map over the image the network saw, as RGB: the grey image is the preprocessed
 * input's first channel scaled back to 0..255 (preprocessing windows and then normalises
 * linearly, so this is the windowed image up to the crop), and the map is blended in with a
 * jet-like colour scale whose opacity grows with the evidence, so that regions without evidence
 * stay plain grey (pytorch-grad-cam tints the whole image blue there).
 */
public final class Overlay {

    private static final double MAX_OPACITY = 0.6;

    private Overlay() {}

    /** RGB pixels, {@code height x width}, packed {@code 0xRRGGBB}. */
    public static int[] rgb(FloatImage image, float[] normalisedMap) {
        int plane = image.planeSize();
        if (normalisedMap.length != plane) {
            throw new IllegalArgumentException("map of " + normalisedMap.length + " values for an image of " + plane);
        }
        float[] data = image.data();
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < plane; i++) {
            lo = Math.min(lo, data[i]);
            hi = Math.max(hi, data[i]);
        }
        double scale = hi > lo ? 255.0 / (hi - lo) : 0;
        int[] out = new int[plane];
        for (int i = 0; i < plane; i++) {
            double grey = (data[i] - lo) * scale;
            double m = Math.min(1, Math.max(0, normalisedMap[i]));
            double alpha = MAX_OPACITY * m;
            int[] colour = jet(m);
            int r = blend(grey, colour[0], alpha);
            int g = blend(grey, colour[1], alpha);
            int b = blend(grey, colour[2], alpha);
            out[i] = r << 16 | g << 8 | b;
        }
        return out;
    }

    /** The overlay as PNG bytes. */
    public static byte[] png(FloatImage image, float[] normalisedMap) {
        BufferedImage picture = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        picture.setRGB(0, 0, image.width(), image.height(), rgb(image, normalisedMap), 0, image.width());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(picture, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding in memory failed", e);
        }
        return bytes.toByteArray();
    }

    private static int blend(double grey, int colour, double alpha) {
        return (int) Math.round(Math.min(255, Math.max(0, (1 - alpha) * grey + alpha * colour)));
    }

    /** Blue (0) through cyan, green, yellow to red (1). */
    private static int[] jet(double v) {
        double r = clamp(1.5 - Math.abs(4 * v - 3));
        double g = clamp(1.5 - Math.abs(4 * v - 2));
        double b = clamp(1.5 - Math.abs(4 * v - 1));
        return new int[] {(int) Math.round(255 * r), (int) Math.round(255 * g), (int) Math.round(255 * b)};
    }

    private static double clamp(double v) {
        return Math.min(1, Math.max(0, v));
    }
}
