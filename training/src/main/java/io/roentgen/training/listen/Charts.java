package io.roentgen.training.listen;

import io.roentgen.engine.chart.ChartImage;
import io.roentgen.engine.chart.LineChart;
import io.roentgen.training.metrics.RocCurve;
import io.roentgen.training.run.EpochRecord;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        ChartImage.writePng(learningCurves(history), directory.resolve(LEARNING_CURVES));
        double auroc = end.record().macroAuroc();
        if (Double.isNaN(bestAuroc) || auroc > bestAuroc || !Files.exists(directory.resolve(ROC))) {
            bestAuroc = auroc;
            List<String> names = end.record().classes().stream().map(EpochRecord.ClassRecord::name).toList();
            List<Double> aurocs = end.record().classes().stream().map(EpochRecord.ClassRecord::auroc).toList();
            ChartImage.writePng(roc(end.rocCurves(), names, aurocs, end.record().epoch()), directory.resolve(ROC));
        }
    }

    /** Loss (left) and AUROC (right) against epoch. */
    public static BufferedImage learningCurves(List<EpochRecord> history) {
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        LineChart loss = new LineChart("Loss", "epoch", "loss")
                .series("train loss", epochs, history.stream().mapToDouble(EpochRecord::trainLoss).toArray(),
                        ChartImage.PALETTE[0], false, true)
                .series("validation loss", epochs, history.stream().mapToDouble(EpochRecord::valLoss).toArray(),
                        ChartImage.PALETTE[1], false, true);
        LineChart auroc = new LineChart("Validation AUROC and accuracy", "epoch", "AUROC, accuracy")
                .series("macro AUROC", epochs, history.stream().mapToDouble(EpochRecord::macroAuroc).toArray(),
                        ChartImage.PALETTE[2], false, true)
                .series("accuracy", epochs, history.stream().mapToDouble(EpochRecord::accuracy).toArray(),
                        ChartImage.PALETTE[3], true, true);
        double lowest = history.stream().mapToDouble(r -> Math.min(r.macroAuroc(), r.accuracy()))
                .filter(Double::isFinite).min().orElse(0.5);
        auroc.yRange(Math.min(0.5, Math.floor(lowest * 10) / 10), 1.0);
        if (epochs.length > 0) {
            double last = epochs[epochs.length - 1];
            loss.xRange(Math.min(1, epochs[0]), Math.max(last, epochs[0] + 1));
            auroc.xRange(Math.min(1, epochs[0]), Math.max(last, epochs[0] + 1));
        }
        return ChartImage.sideBySide(LEARNING_WIDTH, LEARNING_HEIGHT, loss, auroc);
    }

    /** One ROC curve per class with the chance diagonal. */
    public static BufferedImage roc(List<RocCurve> curves, List<String> names, List<Double> aurocs, int epoch) {
        LineChart chart = new LineChart("ROC, validation, epoch " + epoch, "1 - specificity (false positive rate)",
                "sensitivity (true positive rate)").xRange(0, 1).yRange(0, 1);
        for (int c = 0; c < curves.size(); c++) {
            chart.series(String.format(Locale.ROOT, "%s (AUROC %.3f)", names.get(c), aurocs.get(c)),
                    curves.get(c).falsePositiveRates(), curves.get(c).truePositiveRates(),
                    ChartImage.PALETTE[c % ChartImage.PALETTE.length], false, false);
        }
        chart.series("chance", new double[] {0, 1}, new double[] {0, 1}, Color.GRAY, true, false);
        return ChartImage.sideBySide(ROC_SIZE, ROC_SIZE, chart);
    }
}
