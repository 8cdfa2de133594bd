package io.roentgen.training.listen;

import io.roentgen.engine.DutyCycle;
import io.roentgen.models.report.ChartFiles;
import io.roentgen.models.report.LineChart;
import io.roentgen.models.report.RocChart;
import io.roentgen.training.metrics.RocCurve;
import io.roentgen.training.run.EpochRecord;
import io.roentgen.training.run.TrainingResult;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * PNG charts of a run: {@code learning-curves.png} (train and validation loss; validation macro
 * AUROC and accuracy; learning rate, per epoch) and {@code roc.png} (the validation ROC curve per
 * class at the best epoch so far, AUROC in the legend). Drawn by {@link io.roentgen.models.report};
 * no display is needed.
 *
 * <p>Drawing both takes 100-200 ms on a loaded 2-core machine, which is 10-20 % of a short epoch
 * (24 steps of {@code small} at 32 px). So drawing keeps to a {@link DutyCycle} of
 * {@value #MAX_SHARE}: the charts are redrawn after an epoch only once the rest that cycle gives
 * the last drawing's cost has passed (they take at most that share of the run), and always after the first and the last epoch and
 * at the end of a run that stops early: on long epochs that is after every epoch, as before.
 */
public final class Charts implements TrainingListener {
    public static final String LEARNING_CURVES = "learning-curves.png";
    public static final String ROC = "roc.png";
    public static final int LEARNING_WIDTH = 1200;
    public static final int LEARNING_HEIGHT = 500;
    public static final int ROC_SIZE = RocChart.SIZE;

    /** The largest share of a run's time the charts take (DECISIONS, loop overhead). */
    static final double MAX_SHARE = 0.02;
    private static final DutyCycle DRAWING = new DutyCycle(MAX_SHARE);

    private final List<EpochRecord> history = new ArrayList<>();
    private Path directory;
    private double bestAuroc = Double.NEGATIVE_INFINITY;
    private EpochRecord bestRecord;
    private List<RocCurve> bestCurves;
    private boolean learningCurvesPending;
    private boolean rocPending;
    private boolean drawn;
    private long lastDrawingEnd;
    private long lastDrawingNanos;

    @Override
    public void onTrainingStart(Start start) {
        directory = start.runDirectory();
        history.clear();
        history.addAll(start.history());
        bestAuroc = start.history().stream().mapToDouble(EpochRecord::macroAuroc).filter(v -> !Double.isNaN(v))
                .max().orElse(Double.NEGATIVE_INFINITY);
        bestRecord = null;
        bestCurves = null;
        learningCurvesPending = false;
        rocPending = false;
        drawn = false;
    }

    @Override
    public void onEpochEnd(EpochEnd end) throws IOException {
        history.add(end.record());
        learningCurvesPending = true;
        double auroc = end.record().macroAuroc();
        if (Double.isNaN(bestAuroc) || auroc > bestAuroc || (bestRecord == null && !Files.exists(directory.resolve(ROC)))) {
            bestAuroc = auroc;
            bestRecord = end.record();
            bestCurves = end.rocCurves();
            rocPending = true;
        }
        if (!drawn || end.record().epoch() >= end.epochs() || due()) {
            draw();
        }
    }

    /** A run that stopped early (stop request, early stopping) still leaves charts of every epoch. */
    @Override
    public void onTrainingEnd(TrainingResult result) throws IOException {
        if (learningCurvesPending || rocPending) {
            draw();
        }
    }

    private boolean due() {
        return System.nanoTime() - lastDrawingEnd >= DRAWING.restAfter(lastDrawingNanos);
    }

    private void draw() throws IOException {
        long started = System.nanoTime();
        if (learningCurvesPending) {
            ChartFiles.writePng(learningCurves(history), directory.resolve(LEARNING_CURVES));
        }
        if (rocPending) {
            ChartFiles.writePng(roc(bestCurves, bestRecord), directory.resolve(ROC));
        }
        learningCurvesPending = false;
        rocPending = false;
        drawn = true;
        lastDrawingEnd = System.nanoTime();
        lastDrawingNanos = lastDrawingEnd - started;
    }

    /** Loss (left), AUROC and accuracy (middle) and learning rate (right) against epoch. */
    public static BufferedImage learningCurves(List<EpochRecord> history) {
        double[] epochs = history.stream().mapToDouble(EpochRecord::epoch).toArray();
        LineChart loss = epochChart("Loss", "loss", epochs)
                .series("train loss", epochs, values(history, EpochRecord::trainLoss), ChartFiles.PALETTE[0], false, true)
                .series("validation loss", epochs, values(history, EpochRecord::valLoss), ChartFiles.PALETTE[1], false, true);
        LineChart auroc = epochChart("Validation AUROC, accuracy", "AUROC, accuracy", epochs)
                .series("macro AUROC", epochs, values(history, EpochRecord::macroAuroc), ChartFiles.PALETTE[2], false, true)
                .series("accuracy", epochs, values(history, EpochRecord::accuracy), ChartFiles.PALETTE[3], true, true);
        double lowest = history.stream().mapToDouble(r -> Math.min(r.macroAuroc(), r.accuracy()))
                .filter(Double::isFinite).min().orElse(0.5);
        auroc.yRange(Math.min(0.5, Math.floor(lowest * 10) / 10), 1.0);
        LineChart rate = epochChart("Learning rate", "learning rate", epochs).yFromZero()
                .series("learning rate", epochs, values(history, EpochRecord::learningRate), ChartFiles.PALETTE[4], false, true);
        return ChartFiles.sideBySide(LEARNING_WIDTH, LEARNING_HEIGHT, loss.chart(), auroc.chart(), rate.chart());
    }

    /** One ROC curve per class of {@code record}, with the chance diagonal. */
    public static BufferedImage roc(List<RocCurve> curves, EpochRecord record) {
        List<RocChart.Curve> drawn = new ArrayList<>();
        for (int c = 0; c < curves.size(); c++) {
            EpochRecord.ClassRecord cls = record.classes().get(c);
            drawn.add(new RocChart.Curve(cls.name(), cls.auroc(), curves.get(c).falsePositiveRates(),
                    curves.get(c).truePositiveRates()));
        }
        return RocChart.draw(drawn, "ROC, validation, epoch " + record.epoch());
    }

    /** Whole epochs on x, from 1 (or the first epoch) to at least one past it. */
    private static LineChart epochChart(String title, String yLabel, double[] epochs) {
        LineChart chart = new LineChart(title, "epoch", yLabel).xIntegers();
        if (epochs.length > 0) {
            double first = Math.min(1, epochs[0]);
            chart.xRange(first, Math.max(epochs[epochs.length - 1], first + 1));
        }
        return chart;
    }

    private static double[] values(List<EpochRecord> history, ToDoubleFunction<EpochRecord> figure) {
        return history.stream().mapToDouble(figure).toArray();
    }
}
