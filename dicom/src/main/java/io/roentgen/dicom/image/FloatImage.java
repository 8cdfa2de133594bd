package io.roentgen.dicom.image;

import java.util.Arrays;

/**
 * A float32 image stored channel-major (C x H x W, row-major within a channel): sample
 * {@code (c, y, x)} is at {@code (c * height + y) * width + x}. The array is shared, not copied;
 * transforms never modify their input: they return a new image, or the input itself when a step
 * changes nothing (same size, same channel count).
 */
public final class FloatImage {
    private final float[] data;
    private final int channels;
    private final int height;
    private final int width;

    public FloatImage(float[] data, int channels, int height, int width) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image dimensions must be positive: " + channels + "x" + height + "x" + width);
        }
        if ((long) channels * height * width != data.length) {
            throw new IllegalArgumentException("expected " + (long) channels * height * width
                    + " samples for " + channels + "x" + height + "x" + width + ", got " + data.length);
        }
        this.data = data;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** A new image of zeros. */
    public static FloatImage zeros(int channels, int height, int width) {
        return new FloatImage(new float[Math.multiplyExact(Math.multiplyExact(channels, height), width)], channels, height, width);
    }

    public float[] data() {
        return data;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Samples in one channel. */
    public int planeSize() {
        return height * width;
    }

    public float get(int channel, int y, int x) {
        return data[(channel * height + y) * width + x];
    }

    /** Same shape and exactly the same samples (bitwise, so NaN equals NaN). */
    public boolean sameAs(FloatImage other) {
        return channels == other.channels && height == other.height && width == other.width
                && Arrays.equals(data, other.data);
    }

    @Override
    public String toString() {
        return "FloatImage[" + channels + "x" + height + "x" + width + "]";
    }
}
