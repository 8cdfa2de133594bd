package io.roentgen.dicom.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessorTest {
    @Test
    void specRoundTripsThroughJson() {
        TransformSpec spec = new TransformSpec(0f, new TransformSpec.Resize(224, 224, ResizeMethod.AREA), null,
                new TransformSpec.CentreCrop(200, 180), 3, Normalization.imagenet());
        String json = spec.toJson();
        assertEquals("{\"padToSquare\":0.0,\"resize\":{\"height\":224,\"width\":224,\"method\":\"area\"},"
                + "\"centreCrop\":{\"height\":200,\"width\":180},\"channels\":3,"
                + "\"normalization\":{\"mean\":[0.485,0.456,0.406],\"std\":[0.229,0.224,0.225]}}", json);
        assertEquals(spec, TransformSpec.fromJson(json));
        assertEquals(TransformSpec.imagenet(256, 224), TransformSpec.fromJson(TransformSpec.imagenet(256, 224).toJson()));
    }

    @Test
    void specJsonDefaultsAndValidation() {
        TransformSpec spec = TransformSpec.fromJson("{\"resize\":{\"height\":8,\"width\":8}}");
        assertEquals(ResizeMethod.AUTO, spec.resize().method());
        assertNull(spec.padToSquare());
        assertEquals(0, spec.channels());
        assertThrows(IllegalArgumentException.class, () -> TransformSpec.fromJson(
                "{\"resize\":{\"height\":8,\"width\":8},\"shorterSide\":{\"size\":8}}"));
        assertThrows(IllegalArgumentException.class, () -> TransformSpec.fromJson("{\"channels\":2}"));
        assertThrows(IllegalArgumentException.class, () -> TransformSpec.fromJson("{\"resize\":{\"height\":0,\"width\":8}}"));
        assertThrows(IllegalArgumentException.class, () -> TransformSpec.fromJson("{\"resize\":"));
    }

    /** A 1 x 65535 strip padded first would be a 65535 x 65535 square (16 GiB of floats). */
    @Test
    void anExtremeStripIsShrunkBeforeItIsPaddedAndLandsInTheMiddleRow() {
        float[] strip = new float[65535];
        java.util.Arrays.fill(strip, 7f);
        TransformSpec spec = new TransformSpec(0f, new TransformSpec.Resize(64, 64, ResizeMethod.AREA), null, null, 0, null);
        FloatImage out = new Preprocessor(spec).apply(new FloatImage(strip, 1, 1, 65535));
        assertEquals(1, out.channels());
        assertEquals(64, out.height());
        assertEquals(64, out.width());
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(y == 31 ? 7f : 0f, out.data()[y * 64 + x], 1e-5f, "pixel " + y + "," + x);
            }
        }
    }

    @Test
    void appliesTheStepsInOrder() {
        // 1x2x4 -> pad to 4x4 with 0 -> area 2x2 -> 3 channels -> (x - 1) / 2
        FloatImage input = new FloatImage(new float[] {4, 4, 8, 8, 4, 4, 8, 8}, 1, 2, 4);
        TransformSpec spec = new TransformSpec(0f, new TransformSpec.Resize(2, 2, ResizeMethod.AREA), null, null, 3,
                new Normalization(List.of(1f), List.of(2f)));
        FloatImage out = new Preprocessor(spec).apply(input);
        // Padding puts one zero row above and below: the 2x2 blocks average to 2 and 4.
        float[] channel = {0.5f, 1.5f, 0.5f, 1.5f};
        assertArrayEquals(concat(channel, channel, channel), out.data(), 1e-6f);
        Preprocessor preprocessor = new Preprocessor(spec);
        FloatImage split = preprocessor.finish(preprocessor.geometry(input), Augmenter.OFF, 0, 0, 0);
        assertTrue(split.sameAs(out));
    }

    @Test
    void identitySpecPassesTheImageThrough() {
        FloatImage input = new FloatImage(new float[] {1, 2, 3}, 1, 1, 3);
        assertTrue(new Preprocessor(TransformSpec.identity()).apply(input).sameAs(input));
    }

    private static float[] concat(float[]... parts) {
        float[] all = new float[parts.length * parts[0].length];
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, all, i * parts[0].length, parts[0].length);
        }
        return all;
    }
}
