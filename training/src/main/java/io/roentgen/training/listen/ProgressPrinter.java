package io.roentgen.training.listen;

import io.roentgen.training.run.EpochRecord;
import io.roentgen.training.run.TrainingResult;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress for people. On a terminal one line per epoch is redrawn with {@code \r} after each
 * step (bar, images/s, loss, ETA of the epoch); elsewhere (logs, CI) only a plain line per epoch
 * is written, so log files do not fill with carriage returns.
 */
public final class ProgressPrinter implements TrainingListener {
    private static final int BAR_WIDTH = 24;
    private final PrintStream out;
    private final boolean terminal;
    private int lastLineLength;

    public ProgressPrinter(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Standard output, redrawn when it is a console. */
    public static ProgressPrinter forStandardOutput() {
        return new ProgressPrinter(System.out, System.console() != null);
    }

    @Override
    public void onTrainingStart(Start start) {
        if (start.completedEpochs() > 0) {
            out.printf(Locale.ROOT, "resuming after epoch %d of %d%n", start.completedEpochs(), start.config().epochs());
        }
    }

    @Override
    public void onStep(Step step) {
        if (!terminal) {
            return;
        }
        String line = stepLine(step);
        out.print('\r' + line + " ".repeat(Math.max(0, lastLineLength - line.length())));
        out.flush();
        lastLineLength = line.length();
    }

    static String stepLine(Step step) {
        double fraction = (double) step.stepInEpoch() / Math.max(1, step.stepsPerEpoch());
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        double secondsPerStep = step.seconds() / Math.max(1, step.stepInEpoch());
        long eta = Math.round(secondsPerStep * (step.stepsPerEpoch() - step.stepInEpoch()));
        return String.format(Locale.ROOT, "epoch %d/%d [%s%s] %3.0f%% %7.1f img/s  loss %.4f  ETA %s",
                step.epoch(), step.epochs(), "=".repeat(filled), " ".repeat(BAR_WIDTH - filled), fraction * 100,
                step.imagesPerSecond(), step.meanLoss(), clock(eta));
    }

    @Override
    public void onEpochEnd(EpochEnd end) {
        if (terminal) {
            out.print('\r' + " ".repeat(lastLineLength) + '\r');
            lastLineLength = 0;
        }
        out.println(epochLine(end.record(), end.epochs()));
    }

    static String epochLine(EpochRecord r, int epochs) {
        return String.format(Locale.ROOT,
                "epoch %d/%d  train loss %.4f  val loss %.4f  AUROC %.4f  acc %.4f  sens %.3f  spec %.3f  "
                        + "%.1f img/s  %.1f s  lr %.2e",
                r.epoch(), epochs, r.trainLoss(), r.valLoss(), r.macroAuroc(), r.accuracy(), r.macroSensitivity(),
                r.macroSpecificity(), r.imagesPerSecond(), r.seconds(), r.learningRate());
    }

    @Override
    public void onTrainingEnd(TrainingResult result) {
        if (terminal && lastLineLength > 0) {
            out.println();
        }
        if (result.stopped()) {
            out.println("stopped; resume from " + result.lastCheckpoint());
        } else if (result.bestEpoch() > 0) {
            out.printf(Locale.ROOT, "best epoch %d: validation AUROC %.4f%s%n", result.bestEpoch(),
                    result.bestMacroAuroc(), result.earlyStopped() ? " (stopped early)" : "");
        }
    }

    private static String clock(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }
}
