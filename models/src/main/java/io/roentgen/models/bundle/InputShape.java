package io.roentgen.models.bundle;

/** The model input of one image: channels x height x width (float32, after preprocessing). */
public record InputShape(int channels, int height, int width) {

    public InputShape {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("input shape must be positive: " + channels + "x" + height + "x" + width);
        }
    }

    public long size() {
        return (long) channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
