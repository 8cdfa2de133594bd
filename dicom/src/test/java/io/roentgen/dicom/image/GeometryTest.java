package io.roentgen.dicom.image;

import static io.roentgen.dicom.image.ResizeTest.image;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class GeometryTest {
    @Test
    void padsToASquareCentredWithTheValue() {
        FloatImage wide = Geometry.padToSquare(image(1, 2, 3, 1, 2, 3, 4, 5, 6), 9);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 9, 9, 9}, wide.data());
        FloatImage tall = Geometry.padToSquare(image(1, 4, 1, 1, 2, 3, 4), -1);
        assertArrayEquals(new float[] {
            -1, 1, -1, -1,
            -1, 2, -1, -1,
            -1, 3, -1, -1,
            -1, 4, -1, -1}, tall.data());
    }

    @Test
    void cropsTheCentre() {
        FloatImage out = Geometry.centreCrop(image(1, 4, 4,
                0, 1, 2, 3,
                4, 5, 6, 7,
                8, 9, 10, 11,
                12, 13, 14, 15), 2, 3);
        assertArrayEquals(new float[] {4, 5, 6, 8, 9, 10}, out.data());
        assertThrows(IllegalArgumentException.class, () -> Geometry.centreCrop(FloatImage.zeros(1, 2, 2), 3, 1));
    }

    @Test
    void resizesTheShorterSideThenCrops() {
        // 2x4 -> shorter side 1 (area: 2x2 block means) = 1x2 -> centre crop 1x1 keeps the left mean.
        FloatImage out = Geometry.resizeShorterSideThenCrop(image(1, 2, 4,
                1, 3, 10, 20,
                5, 7, 30, 40), 1, 1, ResizeMethod.AREA);
        assertEquals(1, out.height());
        assertArrayEquals(new float[] {4}, out.data());
        FloatImage square = Geometry.resizeShorterSideThenCrop(FloatImage.zeros(1, 600, 800), 256, 224, ResizeMethod.AUTO);
        assertEquals(List.of(1, 224, 224), List.of(square.channels(), square.height(), square.width()));
    }

    @Test
    void convertsChannels() {
        FloatImage grey = image(1, 1, 2, 0.25f, 0.5f);
        assertArrayEquals(new float[] {0.25f, 0.5f, 0.25f, 0.5f, 0.25f, 0.5f}, Channels.convert(grey, 3).data());
        FloatImage rgb = image(3, 1, 2, 1, 0.5f, 0, 0.5f, 0, 0.5f);
        assertArrayEquals(new float[] {0.299f, 0.5f}, Channels.convert(rgb, 1).data(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> Channels.convert(FloatImage.zeros(2, 1, 1), 3));
    }

    @Test
    void normalisesPerChannel() {
        FloatImage out = new Normalization(List.of(0.5f, 1f), List.of(0.25f, 2f)).apply(image(2, 1, 2, 0, 1, 3, 5));
        assertArrayEquals(new float[] {-2, 2, 1, 2}, out.data());
        FloatImage shared = new Normalization(List.of(1f), List.of(2f)).apply(image(3, 1, 1, 1, 3, 5));
        assertArrayEquals(new float[] {0, 1, 2}, shared.data());
        assertThrows(IllegalArgumentException.class, () -> new Normalization(List.of(0f), List.of(0f)));
    }
}
