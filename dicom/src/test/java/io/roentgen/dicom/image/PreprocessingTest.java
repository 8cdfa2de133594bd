package io.roentgen.dicom.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.pixel.VoiFunction;
import io.roentgen.dicom.pixel.VoiSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one spec (data, JSON) and the one function that applies it as a list of named steps. */
class PreprocessingTest {
    private static PreprocessingSpec geometry(Float pad, PreprocessingSpec.Resize resize, int channels,
            Normalization normalization) {
        return new PreprocessingSpec(VoiSpec.file(), true, pad, resize, null, null, channels, normalization);
    }

    @Test
    void specRoundTripsThroughJson() {
        PreprocessingSpec spec = new PreprocessingSpec(VoiSpec.explicit(40, 400), false, 0f,
                new PreprocessingSpec.Resize(224, 224, ResizeMethod.AREA), null,
                new PreprocessingSpec.CentreCrop(200, 180), 3, Normalization.imagenet());
        String json = spec.toJson();
        assertEquals("{\"pixels\":{\"voi\":{\"mode\":\"EXPLICIT\",\"center\":40.0,\"width\":400.0,\"function\":\"LINEAR\"},"
                + "\"invertMonochrome1\":false},\"transform\":{\"padToSquare\":0.0,"
                + "\"resize\":{\"height\":224,\"width\":224,\"method\":\"area\"},"
                + "\"centreCrop\":{\"height\":200,\"width\":180},\"channels\":3,"
                + "\"normalization\":{\"mean\":[0.485,0.456,0.406],\"std\":[0.229,0.224,0.225]}}}", json);
        assertEquals(spec, PreprocessingSpec.fromJson(json));
        for (PreprocessingSpec s : List.of(PreprocessingSpec.imagenet(256, 224), PreprocessingSpec.standard(64, 3),
                PreprocessingSpec.window(VoiSpec.explicit(-600, 1500, VoiFunction.SIGMOID), true),
                PreprocessingSpec.window(VoiSpec.percentile(0.5, 99.5), true),
                PreprocessingSpec.window(VoiSpec.minMax(), false))) {
            assertEquals(s, PreprocessingSpec.fromJson(s.toJson()), s.toJson());
            assertEquals(s.hashCode(), PreprocessingSpec.fromJson(s.toJson()).hashCode());
        }
    }

    @Test
    void specJsonDefaultsAndValidation() {
        PreprocessingSpec spec = PreprocessingSpec.fromJson("{\"pixels\":{},\"transform\":{\"resize\":{\"height\":8,\"width\":8}}}");
        assertEquals(ResizeMethod.AUTO, spec.resize().method());
        assertNull(spec.padToSquare());
        assertEquals(0, spec.channels());
        assertEquals(VoiSpec.Mode.FILE, spec.voi().mode());
        assertTrue(spec.invertMonochrome1());
        for (String bad : List.of(
                "{\"pixels\":{},\"transform\":{\"resize\":{\"height\":8,\"width\":8},\"shorterSide\":{\"size\":8}}}",
                "{\"pixels\":{},\"transform\":{\"channels\":2}}",
                "{\"pixels\":{},\"transform\":{\"resize\":{\"height\":0,\"width\":8}}}",
                "{\"pixels\":{},\"transform\":{\"resize\":",
                "{\"pixels\":{}}",
                "not json",
                "{\"pixels\":{\"voi\":{\"mode\":\"MAGIC\"}},\"transform\":{}}",
                "{\"pixels\":{\"voi\":{\"mode\":\"EXPLICIT\"}},\"transform\":{}}",
                "{\"pixels\":{\"voi\":{\"mode\":\"PERCENTILE\",\"lowPercentile\":90,\"highPercentile\":10}},\"transform\":{}}")) {
            assertThrows(IllegalArgumentException.class, () -> PreprocessingSpec.fromJson(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> VoiSpec.explicit(40, 0.5));
        assertThrows(IllegalArgumentException.class, () -> VoiSpec.explicit(40, 0, VoiFunction.SIGMOID));
        VoiSpec.explicit(40, 0.5, VoiFunction.LINEAR_EXACT);
    }

    @Test
    void stepsAreNamedInTheOrderTheyRun() {
        assertEquals("decode -> window(FILE, invert MONOCHROME1) -> padToSquare(0.0) -> resize(224x224, auto) -> channels(1)",
                Preprocessing.of(PreprocessingSpec.standard(224, 1)).toString());
        assertEquals(List.of("decode", "window(PERCENTILE 0.5-99.5)", "shorterSide(256, auto)", "centreCrop(224x224)",
                        "channels(3)", "normalise(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])"),
                Preprocessing.of(PreprocessingSpec.imagenet(256, 224).withVoi(VoiSpec.percentile(0.5, 99.5))
                        .withInvertMonochrome1(false)).steps());
        assertEquals(List.of("decode", "window(EXPLICIT c=40.0 w=400.0 SIGMOID, invert MONOCHROME1)"),
                Preprocessing.of(PreprocessingSpec.window(VoiSpec.explicit(40, 400, VoiFunction.SIGMOID), true)).steps());
    }

    /** A 1 x 65535 strip padded first would be a 65535 x 65535 square (16 GiB of floats). */
    @Test
    void anExtremeStripIsShrunkBeforeItIsPaddedAndLandsInTheMiddleRow() {
        float[] strip = new float[65535];
        java.util.Arrays.fill(strip, 7f);
        PreprocessingSpec spec = geometry(0f, new PreprocessingSpec.Resize(64, 64, ResizeMethod.AREA), 0, null);
        FloatImage out = Preprocessing.of(spec).apply(new FloatImage(strip, 1, 1, 65535));
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
        PreprocessingSpec spec = geometry(0f, new PreprocessingSpec.Resize(2, 2, ResizeMethod.AREA), 3,
                new Normalization(List.of(1f), List.of(2f)));
        Preprocessing preprocessing = Preprocessing.of(spec);
        FloatImage out = preprocessing.apply(input);
        // Padding puts one zero row above and below: the 2x2 blocks average to 2 and 4.
        float[] channel = {0.5f, 1.5f, 0.5f, 1.5f};
        assertArrayEquals(concat(channel, channel, channel), out.data(), 1e-6f);
        FloatImage split = preprocessing.finish(preprocessing.geometry(input), Augmenter.OFF, 0, 0, 0);
        assertTrue(split.sameAs(out));
    }

    @Test
    void noGeometryPassesTheImageThroughWithoutACopy() {
        FloatImage input = new FloatImage(new float[] {1, 2, 3}, 1, 1, 3);
        assertTrue(Preprocessing.of(PreprocessingSpec.window(VoiSpec.file(), true)).apply(input) == input);
    }

    private static float[] concat(float[]... parts) {
        float[] all = new float[parts.length * parts[0].length];
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, all, i * parts[0].length, parts[0].length);
        }
        return all;
    }
}
