package io.roentgen.dicom.image;

/** Exact mirror images: index permutations, no interpolation. */
final class Flips {
    private Flips() {}

    static FloatImage apply(FloatImage image, boolean horizontal, boolean vertical) {
        if (!horizontal && !vertical) {
            return image;
        }
        int h = image.height();
        int w = image.width();
        float[] in = image.data();
        FloatImage out = FloatImage.zeros(image.channels(), h, w);
        float[] result = out.data();
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < h; y++) {
                int inRow = (c * h + (vertical ? h - 1 - y : y)) * w;
                int outRow = (c * h + y) * w;
                if (horizontal) {
                    for (int x = 0; x < w; x++) {
                        result[outRow + x] = in[inRow + w - 1 - x];
                    }
                } else {
                    System.arraycopy(in, inRow, result, outRow, w);
                }
            }
        }
        return out;
    }
}
