package io.roentgen.datasets.pixel;

/**
 * Model input from {@link PixelPipeline}: float32 values in [0, 1], channel-major
 * ({@code C x H x W}: all of channel 0, then channel 1, ...).
 *
 * @param channels 1 (monochrome) or 3 (RGB)
 * @param rows     height
 * @param columns  width
 * @param data     {@code channels * rows * columns} values
 */
public record FloatImage(int channels, int rows, int columns, float[] data) {
    public FloatImage {
        if ((long) channels * rows * columns != data.length) {
            throw new IllegalArgumentException("expected " + ((long) channels * rows * columns) + " values for "
                    + channels + "x" + rows + "x" + columns + ", got " + data.length);
        }
    }

    /** Value of channel {@code c} at row {@code y}, column {@code x}. */
    public float get(int c, int y, int x) {
        return data[(c * rows + y) * columns + x];
    }
}
