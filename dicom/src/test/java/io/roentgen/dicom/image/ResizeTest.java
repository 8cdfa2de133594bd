package io.roentgen.dicom.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResizeTest {
    private static final float EPS = 1e-6f;

    static FloatImage image(int channels, int height, int width, float... values) {
        return new FloatImage(values, channels, height, width);
    }

    @Test
    void bilinearUpsamplingMatchesHalfPixelCentres() {
        // torch.nn.functional.interpolate(x, size=(4, 4), mode="bilinear", align_corners=False)
        FloatImage out = Resize.to(image(1, 2, 2, 0, 1, 2, 3), 4, 4, ResizeMethod.BILINEAR);
        assertArrayEquals(new float[] {
            0.0f, 0.25f, 0.75f, 1.0f,
            0.5f, 0.75f, 1.25f, 1.5f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.0f, 2.25f, 2.75f, 3.0f}, out.data(), EPS);
    }

    @Test
    void areaAveragesWholeAndPartialPixels() {
        FloatImage blocks = Resize.to(image(1, 4, 4,
                1, 3, 5, 7,
                5, 7, 9, 11,
                0, 0, 2, 2,
                0, 4, 2, 6), 2, 2, ResizeMethod.AREA);
        assertArrayEquals(new float[] {4, 8, 1, 3}, blocks.data(), EPS);
        // 3 -> 2: each output covers 1.5 samples: (0 + 3/2) / 1.5 and (3/2 + 6) / 1.5.
        FloatImage partial = Resize.to(image(1, 1, 3, 0, 3, 6), 1, 2, ResizeMethod.AREA);
        assertArrayEquals(new float[] {1, 5}, partial.data(), EPS);
    }

    @Test
    void channelsAreResizedIndependently() {
        FloatImage out = Resize.to(image(2, 2, 2, 1, 1, 1, 1, 2, 4, 6, 8), 1, 1, ResizeMethod.AREA);
        assertArrayEquals(new float[] {1, 5}, out.data(), EPS);
    }

    @Test
    void constantImageStaysConstant() {
        int[][] sizes = {{1, 1}, {1, 7}, {3, 5}, {17, 23}, {224, 224}, {300, 97}};
        for (ResizeMethod method : ResizeMethod.values()) {
            for (int[] from : sizes) {
                for (int[] to : sizes) {
                    float[] data = new float[3 * from[0] * from[1]];
                    java.util.Arrays.fill(data, 1234.5f);
                    FloatImage out = Resize.to(new FloatImage(data, 3, from[0], from[1]), to[0], to[1], method);
                    for (float value : out.data()) {
                        assertEquals(1234.5f, value, 1234.5f * 1e-6f, method + " " + from[0] + "x" + from[1] + " -> " + to[0] + "x" + to[1]);
                    }
                }
            }
        }
    }

    @Test
    void areaResizeOfACheckerboardAveragesInsteadOfAliasing() {
        int size = 2048;
        float[] board = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                board[y * size + x] = (x + y) % 2;
            }
        }
        FloatImage checkerboard = new FloatImage(board, 1, size, size);
        FloatImage area = Resize.to(checkerboard, 224, 224, ResizeMethod.AUTO);
        for (float value : area.data()) {
            assertEquals(0.5f, value, 0.02f);
        }
        // The same shrink by plain bilinear sampling aliases: what the area method must avoid.
        FloatImage bilinear = Resize.to(checkerboard, 224, 224, ResizeMethod.BILINEAR);
        float worst = 0;
        for (float value : bilinear.data()) {
            worst = Math.max(worst, Math.abs(value - 0.5f));
        }
        assertTrue(worst > 0.3f, "bilinear worst deviation " + worst);
    }

    @Test
    void shorterSideKeepsTheAspectRatio() {
        FloatImage out = Resize.shorterSide(FloatImage.zeros(1, 300, 400), 224, ResizeMethod.AUTO);
        assertEquals(224, out.height());
        assertEquals(299, out.width());
        FloatImage same = FloatImage.zeros(1, 5, 5);
        assertSame(same, Resize.to(same, 5, 5, ResizeMethod.AREA));
    }
}
