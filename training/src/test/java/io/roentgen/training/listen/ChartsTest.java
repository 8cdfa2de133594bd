package io.roentgen.training.listen;

import io.roentgen.models.report.ChartFiles;
import io.roentgen.training.run.EpochRecord;
import io.roentgen.training.metrics.RocCurve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run's charts without a run: learning curves from records, ROC from curves. */
class ChartsTest {
    private static final Color LEARNING_RATE = ChartFiles.PALETTE[4];

    @Test
    void learningCurvesShowLossAurocAndAFallingLearningRateInThreePanels() {
        List<EpochRecord> history = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            history.add(record(e, 1e-3 * (6 - e) / 5, 1.0 / e, 0.6 + 0.05 * e));
        }
        BufferedImage image = Charts.learningCurves(history);
        assertEquals(Charts.LEARNING_WIDTH, image.getWidth());
        assertEquals(Charts.LEARNING_HEIGHT, image.getHeight());
        int third = image.getWidth() / 3;
        assertTrue(count(image, ChartFiles.PALETTE[0], 0, third) > 300, "train loss on the left");
        assertTrue(count(image, ChartFiles.PALETTE[1], 0, third) > 300, "validation loss on the left");
        assertTrue(count(image, ChartFiles.PALETTE[2], third, 2 * third) > 300, "AUROC in the middle");
        assertTrue(count(image, LEARNING_RATE, 2 * third, 3 * third) > 300, "learning rate on the right");
        assertEquals(0, count(image, LEARNING_RATE, 0, 2 * third));
        // The rate falls, so its line is higher (smaller rows) in the panel's left half than in its right.
        double left = meanRow(image, LEARNING_RATE, 2 * third, 2 * third + third / 2);
        double right = meanRow(image, LEARNING_RATE, 2 * third + third / 2, 3 * third);
        assertTrue(left < right - 50, "falling: " + left + " above " + right);
    }

    @Test
    void rocIsSquareAndNotBlank() {
        EpochRecord record = record(3, 1e-3, 0.5, 0.8);
        List<RocCurve> curves = List.of(new RocCurve(new double[] {0, 0.2, 1}, new double[] {0, 0.8, 1}),
                new RocCurve(new double[] {0, 0.5, 1}, new double[] {0, 0.5, 1}));
        BufferedImage image = Charts.roc(curves, record);
        assertEquals(Charts.ROC_SIZE, image.getWidth());
        assertEquals(Charts.ROC_SIZE, image.getHeight());
        assertTrue(count(image, ChartFiles.PALETTE[0], 0, image.getWidth()) > 300, "first class's curve");
        assertTrue(count(image, ChartFiles.PALETTE[1], 0, image.getWidth()) > 300, "second class's curve");
    }

    /**
     * Epochs that end in quick succession are not all drawn (the charts keep to a small share of
     * the run), but the run's end draws what is pending: the files then show every epoch and the
     * best epoch's ROC, as if each had been drawn.
     */
    @Test
    void chartsAtTheEndOfARunShowEveryEpochAndTheBestRoc(@TempDir Path dir) throws IOException {
        Charts charts = new Charts();
        charts.onTrainingStart(new TrainingListener.Start(null, dir, 0, 10, List.of()));
        List<EpochRecord> history = new ArrayList<>();
        List<RocCurve> best = List.of(new RocCurve(new double[] {0, 0.1, 1}, new double[] {0, 0.9, 1}),
                new RocCurve(new double[] {0, 0.9, 1}, new double[] {0, 0.1, 1}));
        List<RocCurve> worse = List.of(new RocCurve(new double[] {0, 0.5, 1}, new double[] {0, 0.5, 1}),
                new RocCurve(new double[] {0, 0.5, 1}, new double[] {0, 0.5, 1}));
        double[] aurocs = {0.6, 0.7, 0.9, 0.8};
        for (int e = 1; e <= aurocs.length; e++) {
            EpochRecord record = record(e, 1e-3, 1.0 / e, aurocs[e - 1]);
            history.add(record);
            charts.onEpochEnd(new TrainingListener.EpochEnd(record, 20, null, e == 3 ? best : worse));
        }
        charts.onTrainingEnd(null); // stopped after 4 of 20 epochs
        assertSamePixels(Charts.learningCurves(history), ImageIO.read(dir.resolve(Charts.LEARNING_CURVES).toFile()));
        assertSamePixels(Charts.roc(best, history.get(2)), ImageIO.read(dir.resolve(Charts.ROC).toFile()));
    }

    private static void assertSamePixels(BufferedImage expected, BufferedImage actual) {
        assertEquals(expected.getWidth(), actual.getWidth());
        assertEquals(expected.getHeight(), actual.getHeight());
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                if ((expected.getRGB(x, y) & 0xffffff) != (actual.getRGB(x, y) & 0xffffff)) {
                    throw new AssertionError("pixel (" + x + ", " + y + ") differs");
                }
            }
        }
    }

    private static EpochRecord record(int epoch, double learningRate, double loss, double auroc) {
        List<EpochRecord.ClassRecord> classes = List.of(
                new EpochRecord.ClassRecord("no blob", auroc, 0.7, 0.7, 0.7, 0.5, 0.7, 0.7),
                new EpochRecord.ClassRecord("blob", auroc, 0.7, 0.7, 0.7, 0.5, 0.7, 0.7));
        return new EpochRecord(epoch, learningRate, loss, loss * 1.1, auroc - 0.05, auroc, 0.7, 0.7, 0.7, classes,
                100, 1);
    }

    private static long count(BufferedImage image, Color color, int fromX, int toX) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = fromX; x < toX; x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (color.getRGB() & 0xffffff)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static double meanRow(BufferedImage image, Color color, int fromX, int toX) {
        long sum = 0;
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = fromX; x < toX; x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (color.getRGB() & 0xffffff)) {
                    sum += y;
                    n++;
                }
            }
        }
        return (double) sum / n;
    }
}
