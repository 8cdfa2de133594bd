package io.roentgen.models.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfusionMatrixChartTest {
    private static final int WHITE = 0xffffff;
    private static final int FULL = ConfusionMatrixChart.FULL.getRGB() & 0xffffff;
    private static final List<String> LABELS = List.of("normal", "pneumonia");

    @TempDir
    Path temp;

    @Test
    void writesADecodablePngOfItsSize() throws IOException {
        Path png = temp.resolve("confusion-matrix.png");
        List<String> three = List.of("normal", "pneumonia", "a rather long class name");
        ConfusionMatrixChart.write(new long[][] {{12, 3, 0}, {2, 20, 1}, {0, 0, 5}}, three, "Confusion matrix", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertEquals(ConfusionMatrixChart.width(3), image.getWidth());
        assertEquals(ConfusionMatrixChart.height(3), image.getHeight());
        assertTrue(Rendered.colours(image, 10) > 2, "not blank");
    }

    /** Rows are the true class from the top, columns the predicted one from the left. */
    @Test
    void theDiagonalIsDarkForAPerfectClassifierAndTheOtherDiagonalForAnInvertedOne() {
        Rendered perfect = render(new long[][] {{5, 0}, {0, 5}});
        assertEquals(FULL, cell(perfect, 0, 0));
        assertEquals(FULL, cell(perfect, 1, 1));
        assertEquals(WHITE, cell(perfect, 0, 1));
        assertTrue(perfect.near(perfect.px(0), perfect.py(-0.1), Color.WHITE), "the count in white on a dark cell");
        assertTrue(perfect.near(perfect.px(1), perfect.py(-0.1), Color.BLACK), "the count in black on a light one");
        Rendered inverted = render(new long[][] {{0, 5}, {5, 0}});
        assertEquals(WHITE, cell(inverted, 0, 0));
        assertEquals(FULL, cell(inverted, 0, 1));
        assertEquals(FULL, cell(inverted, 1, 0));
    }

    /** 90 of 100 and 9 of 10 are the same recall, so the same shade, whatever the class sizes. */
    @Test
    void cellsAreShadedByTheirShareOfTheRow() {
        Rendered r = render(new long[][] {{90, 10}, {1, 9}});
        assertEquals(cell(r, 0, 0), cell(r, 1, 1));
        assertEquals(cell(r, 0, 1), cell(r, 1, 0));
        assertTrue(brightness(cell(r, 0, 0)) < brightness(cell(r, 0, 1)), "the 90 % cell is darker");
    }

    private static int brightness(int rgb) {
        return (rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff);
    }

    private static Rendered render(long[][] counts) {
        return Rendered.of(ConfusionMatrixChart.chart(counts, LABELS, "t"), ConfusionMatrixChart.width(2),
                ConfusionMatrixChart.height(2));
    }

    /** The colour inside the cell (true row, predicted column), away from its text. */
    private static int cell(Rendered r, int row, int column) {
        return r.rgb(r.px(column + 0.35), r.py(row + 0.4));
    }
}
