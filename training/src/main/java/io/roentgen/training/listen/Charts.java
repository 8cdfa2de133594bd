package io.roentgen.training.listen;

import io.roentgen.training.EpochRecord;
import io.roentgen.training.metrics.RocCurve;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PNG charts of a run, redrawn after every epoch: {@code learning-curves.png} (train and
 * validation loss; validation macro AUROC, per epoch) and {@code roc.png} (the validation ROC
 * curve per class at the best epoch so far, AUROC in the legend). Drawn with Java2D on a
 * headless {@link BufferedImage}; no display is needed.
 */
public final class Charts implements TrainingListener {
    public static final String LEARNING_CURVES = "learning-curves.png";
    public static final String ROC = "roc.png";
    public static final int LEARNING_WIDTH = 1200;
    public static final int LEARNING_HEIGHT = 500;
    public static final int ROC_SIZE = 640;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private final List<EpochRecord> history = new ArrayList<>();
    private Path directory;
    private double bestAuroc = Double.NEGATIVE_INFINITY;

    @Override
    public void onTrainingStart(Start start) {
        directory = start.runDirectory();
        history.clear();
        history.addAll(start.history());
        bestAuroc = start.history().stream().mapToDouble(EpochRecord::macroAuroc).filter(v -> !Double.isNaN(v))
                .max().orElse(Double.NEGATIVE_INFINITY);
    }

    @Override
    public void onEpochEnd(EpochEnd end) throws IOException {
        history.add(end.record());
        write(learningCurves(history), directory.resolve(LEARNING_CURVES));
        double auroc = end.record().macroAuroc();
        if (Double.isNaN(bestAuroc) || auroc > bestAuroc || !Files.exists(directory.resolve(ROC))) {
            bestAuroc = auroc;
            List<String> names = end.record().classes().stream().map(EpochRecord.ClassRecord::name).toList();
            List<Double> aurocs = end.record().classes().stream().map(EpochRecord.ClassRecord::auroc).toList();
            write(roc(end.rocCurves(), names, aurocs, end.record().epoch()), directory.resolve(ROC));
        }
    }

    /** Loss (left) and AUROC (right) against epoch. */
    public static BufferedImage learningCurves(List<EpochRecord> history) {
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        LineChart loss = new LineChart("Loss", "epoch", "loss")
                .series("train loss", epochs, history.stream().mapToDouble(EpochRecord::trainLoss).toArray(),
                        LineChart.PALETTE[0], false, true)
                .series("validation loss", epochs, history.stream().mapToDouble(EpochRecord::valLoss).toArray(),
                        LineChart.PALETTE[1], false, true);
        LineChart auroc = new LineChart("Validation AUROC and accuracy", "epoch", "AUROC, accuracy")
                .series("macro AUROC", epochs, history.stream().mapToDouble(EpochRecord::macroAuroc).toArray(),
                        LineChart.PALETTE[2], false, true)
                .series("accuracy", epochs, history.stream().mapToDouble(EpochRecord::accuracy).toArray(),
                        LineChart.PALETTE[3], true, true);
        double lowest = history.stream().mapToDouble(r -> Math.min(r.macroAuroc(), r.accuracy()))
                .filter(Double::isFinite).min().orElse(0.5);
        auroc.yRange(Math.min(0.5, Math.floor(lowest * 10) / 10), 1.0);
        if (epochs.length > 0) {
            double last = epochs[epochs.length - 1];
            loss.xRange(Math.min(1, epochs[0]), Math.max(last, epochs[0] + 1));
            auroc.xRange(Math.min(1, epochs[0]), Math.max(last, epochs[0] + 1));
        }
        BufferedImage image = canvas(LEARNING_WIDTH, LEARNING_HEIGHT);
        Graphics2D g = graphics(image);
        loss.draw(g, new Rectangle(0, 0, LEARNING_WIDTH / 2, LEARNING_HEIGHT));
        auroc.draw(g, new Rectangle(LEARNING_WIDTH / 2, 0, LEARNING_WIDTH / 2, LEARNING_HEIGHT));
        g.dispose();
        return image;
    }

    /** One ROC curve per class with the chance diagonal. */
    public static BufferedImage roc(List<RocCurve> curves, List<String> names, List<Double> aurocs, int epoch) {
        LineChart chart = new LineChart("ROC, validation, epoch " + epoch, "1 - specificity (false positive rate)",
                "sensitivity (true positive rate)").xRange(0, 1).yRange(0, 1);
        for (int c = 0; c < curves.size(); c++) {
            chart.series(String.format(Locale.ROOT, "%s (AUROC %.3f)", names.get(c), aurocs.get(c)),
                    curves.get(c).falsePositiveRates(), curves.get(c).truePositiveRates(),
                    LineChart.PALETTE[c % LineChart.PALETTE.length], false, false);
        }
        chart.series("chance", new double[] {0, 1}, new double[] {0, 1}, Color.GRAY, true, false);
        BufferedImage image = canvas(ROC_SIZE, ROC_SIZE);
        Graphics2D g = graphics(image);
        chart.draw(g, new Rectangle(0, 0, ROC_SIZE, ROC_SIZE));
        g.dispose();
        return image;
    }

    /** Writes next to the target and renames, so a viewer never sees half a PNG. */
    static void write(BufferedImage image, Path target) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        if (!ImageIO.write(image, "png", temporary.toFile())) {
            throw new IOException("no PNG writer available");
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static BufferedImage canvas(int width, int height) {
        return new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        return g;
    }
}
