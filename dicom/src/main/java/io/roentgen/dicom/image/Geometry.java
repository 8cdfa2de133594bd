package io.roentgen.dicom.image;

import java.util.Arrays;

/** Padding and cropping: copies of rows, no interpolation. */
public final class Geometry {
    private Geometry() {}

    /**
     * Pads the shorter side with {@code value} to make the image square, centred (an odd amount
     * puts the extra row or column at the bottom or right).
     */
    public static FloatImage padToSquare(FloatImage image, float value) {
        int size = Math.max(image.height(), image.width());
        if (image.height() == size && image.width() == size) {
            return image;
        }
        FloatImage out = FloatImage.zeros(image.channels(), size, size);
        Arrays.fill(out.data(), value);
        int top = (size - image.height()) / 2;
        int left = (size - image.width()) / 2;
        copyWindow(image, 0, 0, out, top, left, image.height(), image.width());
        return out;
    }

    /** Cuts the centred {@code height x width} window (an odd excess is cut more at the bottom or right). */
    public static FloatImage centreCrop(FloatImage image, int height, int width) {
        if (height <= 0 || width <= 0 || height > image.height() || width > image.width()) {
            throw new IllegalArgumentException("cannot crop " + height + "x" + width + " from " + image);
        }
        if (height == image.height() && width == image.width()) {
            return image;
        }
        FloatImage out = FloatImage.zeros(image.channels(), height, width);
        copyWindow(image, (image.height() - height) / 2, (image.width() - width) / 2, out, 0, 0, height, width);
        return out;
    }

    /** Resizes the shorter side to {@code resizeTo}, then crops the centred {@code crop x crop}. */
    public static FloatImage resizeShorterSideThenCrop(FloatImage image, int resizeTo, int crop, ResizeMethod method) {
        return centreCrop(Resize.shorterSide(image, resizeTo, method), crop, crop);
    }

    private static void copyWindow(FloatImage from, int fromTop, int fromLeft, FloatImage to, int toTop, int toLeft,
            int rows, int columns) {
        for (int c = 0; c < from.channels(); c++) {
            for (int y = 0; y < rows; y++) {
                System.arraycopy(from.data(), (c * from.height() + fromTop + y) * from.width() + fromLeft,
                        to.data(), (c * to.height() + toTop + y) * to.width() + toLeft, columns);
            }
        }
    }
}
