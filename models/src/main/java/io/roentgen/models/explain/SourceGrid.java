package io.roentgen.models.explain;

import io.roentgen.dicom.image.PreprocessingSpec;

/**
 * The map carried back from the model's input grid to the source frame's pixel grid, by undoing
 * the preprocessing's geometry (pad to square, resize or shorter side, centre crop) per axis. A
 * Segmentation must lie on its source image's grid; the Secondary Capture, a picture, need not.
 * Source pixels that the crop cut away have no evidence (0).
 */
public final class SourceGrid {

    private SourceGrid() {}

    /** {@code map} ({@code height x width}, the model input) sampled at every pixel centre of a {@code rows x columns} source. */
    public static float[] toSource(float[] map, int height, int width, PreprocessingSpec spec, int rows, int columns) {
        double[] ys = axis(spec, rows, columns, rows, true);
        double[] xs = axis(spec, rows, columns, columns, false);
        float[] out = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                out[r * columns + c] = sample(map, height, width, ys[r], xs[c]);
            }
        }
        return out;
    }

    /**
     * Where each source index along one axis lands in the input, in input pixel units (centre of
     * pixel i at i). Resizing uses half-pixel centres, as {@code Resize} and {@link CamMaps#resize}.
     */
    static double[] axis(PreprocessingSpec spec, int rows, int columns, int length, boolean vertical) {
        int size = length;
        double offset = 0; // source index -> current index: i + offset, then scaled
        double scale = 1;
        if (spec.padToSquare() != null) {
            int square = Math.max(rows, columns);
            offset = (square - length) / 2;
            size = square;
        }
        int resized = size;
        if (spec.resize() != null) {
            resized = vertical ? spec.resize().height() : spec.resize().width();
        } else if (spec.shorterSide() != null) {
            int h = spec.padToSquare() != null ? size : rows;
            int w = spec.padToSquare() != null ? size : columns;
            int shorter = Math.min(h, w);
            int n = spec.shorterSide().size();
            resized = size == shorter ? n : (int) Math.max(1, Math.round(size * ((double) n / shorter)));
        }
        scale = (double) resized / size;
        double crop = 0;
        if (spec.centreCrop() != null) {
            crop = (resized - (vertical ? spec.centreCrop().height() : spec.centreCrop().width())) / 2;
        }
        double[] at = new double[length];
        for (int i = 0; i < length; i++) {
            at[i] = (i + offset + 0.5) * scale - 0.5 - crop;
        }
        return at;
    }

    /** Bilinear at (y, x), clamped at the border; 0 more than half a pixel outside the input. */
    private static float sample(float[] map, int height, int width, double y, double x) {
        if (y < -0.5 || x < -0.5 || y > height - 0.5 || x > width - 0.5) {
            return 0;
        }
        double fy = Math.min(Math.max(y, 0), height - 1);
        double fx = Math.min(Math.max(x, 0), width - 1);
        int y0 = (int) fy;
        int x0 = (int) fx;
        int y1 = Math.min(y0 + 1, height - 1);
        int x1 = Math.min(x0 + 1, width - 1);
        double wy = fy - y0;
        double wx = fx - x0;
        double top = map[y0 * width + x0] * (1 - wx) + map[y0 * width + x1] * wx;
        double bottom = map[y1 * width + x0] * (1 - wx) + map[y1 * width + x1] * wx;
        return (float) (top * (1 - wy) + bottom * wy);
    }
}
