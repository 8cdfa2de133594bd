package io.roentgen.training.listen;

import io.roentgen.training.metrics.EvaluationReport;
import io.roentgen.training.run.Json;
import io.roentgen.training.run.TrainingResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code RUN/summary.json} when a run ends: the best epoch, whether it was stopped or
 * stopped early, and the best epoch's full validation report with bootstrap 95% intervals,
 * Youden thresholds and the confusion matrix (the numbers a model card quotes).
 */
public final class RunSummaryWriter implements TrainingListener {
    public static final String FILE_NAME = "summary.json";
    private Path directory;

    @Override
    public void onTrainingStart(Start start) {
        directory = start.runDirectory();
    }

    @Override
    public void onTrainingEnd(TrainingResult result) throws IOException {
        Summary summary = new Summary(result.bestEpoch(), result.bestMacroAuroc(), result.history().size(),
                result.stopped(), result.earlyStopped(),
                result.bestCheckpoint() == null ? null : directory.relativize(result.bestCheckpoint()).toString(),
                result.bestValidation());
        Files.writeString(directory.resolve(FILE_NAME), Json.pretty().toJson(summary), StandardCharsets.UTF_8);
    }

    /** The file's content; {@code bestValidation} is null for a stopped run. */
    public record Summary(int bestEpoch, double bestMacroAuroc, int epochsCompleted, boolean stopped,
                          boolean earlyStopped, String bestCheckpoint, EvaluationReport bestValidation) {
    }

    public static Summary read(Path file) throws IOException {
        return Json.pretty().fromJson(Files.readString(file, StandardCharsets.UTF_8), Summary.class);
    }
}
