package io.roentgen.dicom.image;

/**
 * Separable resizing: a horizontal pass into a scratch image of the target width, then a vertical
 * pass. Weights are computed once per call ({@link AxisWeights}); the loops allocate nothing.
 */
public final class Resize {
    private Resize() {}

    /** Resizes every channel to {@code height x width}. */
    public static FloatImage to(FloatImage image, int height, int width, ResizeMethod method) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + height + "x" + width);
        }
        if (height == image.height() && width == image.width()) {
            return image;
        }
        AxisWeights horizontal = weights(image.width(), width, method);
        AxisWeights vertical = weights(image.height(), height, method);
        float[] rows = new float[image.channels() * image.height() * width];
        resizeRows(image.data(), image.channels() * image.height(), image.width(), rows, width, horizontal);
        FloatImage out = FloatImage.zeros(image.channels(), height, width);
        for (int c = 0; c < image.channels(); c++) {
            resizeColumns(rows, c * image.height() * width, width, out.data(), c * height * width, height, vertical);
        }
        return out;
    }

    /** Scales so that the shorter side becomes {@code size}, keeping the aspect ratio. */
    public static FloatImage shorterSide(FloatImage image, int size, ResizeMethod method) {
        int shorter = Math.min(image.height(), image.width());
        double scale = (double) size / shorter;
        int height = image.height() == shorter ? size : (int) Math.max(1, Math.round(image.height() * scale));
        int width = image.width() == shorter ? size : (int) Math.max(1, Math.round(image.width() * scale));
        return to(image, height, width, method);
    }

    private static AxisWeights weights(int inputs, int outputs, ResizeMethod method) {
        boolean area = method == ResizeMethod.AREA || (method == ResizeMethod.AUTO && outputs < inputs);
        return area ? AxisWeights.area(inputs, outputs) : AxisWeights.bilinear(inputs, outputs);
    }

    private static void resizeRows(float[] in, int rowCount, int inWidth, float[] out, int outWidth, AxisWeights axis) {
        int taps = axis.taps;
        for (int row = 0; row < rowCount; row++) {
            int inRow = row * inWidth;
            int outRow = row * outWidth;
            for (int x = 0; x < outWidth; x++) {
                int source = inRow + axis.first[x];
                int w = x * taps;
                double sum = 0;
                for (int t = 0; t < taps; t++) {
                    sum += axis.weight[w + t] * in[source + t];
                }
                out[outRow + x] = (float) sum;
            }
        }
    }

    /** Each output row is a weighted sum of whole source rows: contiguous, vectorisable loops. */
    private static void resizeColumns(float[] in, int inOffset, int width, float[] out, int outOffset,
            int outHeight, AxisWeights axis) {
        int taps = axis.taps;
        double[] row = new double[width];
        for (int y = 0; y < outHeight; y++) {
            java.util.Arrays.fill(row, 0);
            for (int t = 0; t < taps; t++) {
                double weight = axis.weight[y * taps + t];
                if (weight == 0) {
                    continue;
                }
                int inRow = inOffset + (axis.first[y] + t) * width;
                for (int x = 0; x < width; x++) {
                    row[x] += weight * in[inRow + x];
                }
            }
            int outRow = outOffset + y * width;
            for (int x = 0; x < width; x++) {
                out[outRow + x] = (float) row[x];
            }
        }
    }
}
