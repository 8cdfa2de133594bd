package io.roentgen.models.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roentgen.dicom.image.PreprocessingSpec;
import org.junit.jupiter.api.Test;

/**
 * The map goes back to the source grid through the same geometry the preprocessing applied: a map
 * that is a linear function of the input coordinates must come back as that function of where
 * each source pixel centre landed.
 */
class SourceGridTest {

    @Test
    void undoesPadToSquareAndResize() {
        // 20 rows x 10 columns, padded to 20 x 20 (5 columns left), resized to 40 x 40: column c
        // lands at (c + 5 + 0.5) * 2 - 0.5 = 2c + 10.5, row r at 2r + 0.5.
        PreprocessingSpec spec = PreprocessingSpec.standard(40, 1);
        float[] columns = ramp(40, 40, false);
        float[] rows = ramp(40, 40, true);
        float[] c = SourceGrid.toSource(columns, 40, 40, spec, 20, 10);
        float[] r = SourceGrid.toSource(rows, 40, 40, spec, 20, 10);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 10; x++) {
                assertEquals(2 * x + 10.5, c[y * 10 + x], 1e-4, "column of " + y + "," + x);
                assertEquals(Math.max(0, 2 * y + 0.5), r[y * 10 + x], 1e-4, "row of " + y + "," + x);
            }
        }
    }

    @Test
    void identityWhenTheInputIsTheSource() {
        float[] map = ramp(8, 8, false);
        for (int i = 0; i < map.length; i++) {
            map[i] = (i * 37 % 11) / 10f;
        }
        float[] back = SourceGrid.toSource(map, 8, 8, PreprocessingSpec.standard(8, 1), 8, 8);
        for (int i = 0; i < map.length; i++) {
            assertEquals(map[i], back[i], 1e-6);
        }
    }

    @Test
    void whatTheCentreCropCutAwayHasNoEvidence() {
        // 10 x 10, shorter side to 10, centre crop 6 x 6: source columns 0 and 1 (at -2, -1) were cut.
        PreprocessingSpec spec = new PreprocessingSpec(PreprocessingSpec.standard(10, 1).voi(), true, null, null,
                new PreprocessingSpec.ShorterSide(10, null), new PreprocessingSpec.CentreCrop(6, 6), 1, null);
        float[] ones = new float[36];
        java.util.Arrays.fill(ones, 1f);
        float[] back = SourceGrid.toSource(ones, 6, 6, spec, 10, 10);
        assertEquals(0f, back[0]);
        assertEquals(0f, back[1]);
        assertEquals(1f, back[2 * 10 + 2]);
        assertEquals(1f, back[7 * 10 + 7]);
        assertEquals(0f, back[9 * 10 + 8]);
    }

    private static float[] ramp(int height, int width, boolean vertical) {
        float[] m = new float[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                m[y * width + x] = vertical ? y : x;
            }
        }
        return m;
    }
}
