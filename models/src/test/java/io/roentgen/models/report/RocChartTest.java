package io.roentgen.models.report;

import org.jfree.chart.LegendItemCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RocChartTest {
    private static final Color FIRST = ChartFiles.PALETTE[0];
    private static final RocChart.Curve PERFECT =
            new RocChart.Curve("perfect", 1.0, new double[] {0, 0, 1}, new double[] {0, 1, 1});
    private static final RocChart.Curve RANDOM =
            new RocChart.Curve("random", 0.5, new double[] {0, 0.5, 1}, new double[] {0, 0.5, 1});

    @TempDir
    Path temp;

    @Test
    void writesADecodablePngOfItsSize() throws IOException {
        Path png = temp.resolve("roc.png");
        RocChart.write(List.of(PERFECT, RANDOM), "ROC, test", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertEquals(RocChart.SIZE, image.getWidth());
        assertEquals(RocChart.SIZE, image.getHeight());
        assertTrue(Rendered.colours(image, 10) > 2, "not blank");
        assertFalse(Files.exists(temp.resolve("roc.png.tmp")));
    }

    /**
     * A strong classifier's curve (through 10 % false and 90 % true positives) runs near the left
     * and top edges (a perfect one would lie on them, under the axes' frame); a random one's lies
     * on the diagonal. The images differ.
     */
    @Test
    void aStrongCurveRunsNearTheTopLeftAndARandomOneAlongTheDiagonal() {
        RocChart.Curve strong = new RocChart.Curve("strong", 0.95, new double[] {0, 0.1, 1}, new double[] {0, 0.9, 1});
        Rendered good = Rendered.of(RocChart.chart(List.of(strong), "t"), RocChart.SIZE, RocChart.SIZE);
        Rendered random = Rendered.of(RocChart.chart(List.of(RANDOM), "t"), RocChart.SIZE, RocChart.SIZE);
        assertTrue(good.near(good.px(0.05), good.py(0.45), FIRST), "steeply up from (0, 0)");
        assertTrue(good.near(good.px(0.55), good.py(0.95), FIRST), "then along the top");
        assertFalse(good.near(good.px(0.4), good.py(0.4), FIRST), "not on the diagonal");
        assertTrue(random.near(random.px(0.4), random.py(0.4), FIRST), "on the diagonal");
        assertFalse(random.near(random.px(0.55), random.py(0.95), FIRST), "not along the top");
        assertFalse(java.util.Arrays.equals(pixels(good), pixels(random)));
    }

    private static int[] pixels(Rendered r) {
        return r.image().getRGB(0, 0, r.image().getWidth(), r.image().getHeight(), null, 0, r.image().getWidth());
    }

    @Test
    void theLegendNamesEachClassWithItsAuroc() {
        RocChart.Curve undefined = new RocChart.Curve("no positives", Double.NaN, new double[] {0, 1},
                new double[] {Double.NaN, Double.NaN});
        LegendItemCollection items = RocChart.chart(List.of(PERFECT, RANDOM, undefined), "t").getXYPlot().getLegendItems();
        assertEquals("perfect (AUROC 1.000)", items.get(0).getLabel());
        assertEquals("random (AUROC 0.500)", items.get(1).getLabel());
        assertEquals("no positives (AUROC undefined)", items.get(2).getLabel());
        assertEquals("chance", items.get(3).getLabel());
    }

    @Test
    void anUnwritableTargetIsAnIOException() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        assertThrows(IOException.class, () -> RocChart.write(List.of(PERFECT), "t", file.resolve("x.png")));
    }
}
