package io.roentgen.training.listen;

import io.roentgen.training.metrics.EvaluationReport;
import io.roentgen.training.metrics.RocCurve;
import io.roentgen.training.run.EpochRecord;
import io.roentgen.training.run.TrainingConfig;
import io.roentgen.training.run.TrainingResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Follows a training run. All calls come from the training thread, in order. */
public interface TrainingListener {

    /** Before the first step; {@code completedEpochs} > 0 when the run resumes. */
    default void onTrainingStart(Start start) throws IOException {
    }

    /** After each optimizer step. */
    default void onStep(Step step) {
    }

    /** After validation and the epoch checkpoint. */
    default void onEpochEnd(EpochEnd end) throws IOException {
    }

    default void onTrainingEnd(TrainingResult result) throws IOException {
    }

    record Start(TrainingConfig config, Path runDirectory, int completedEpochs, int stepsPerEpoch,
                 List<EpochRecord> history) {
    }

    /**
     * @param images images trained on so far in this epoch (this process only)
     * @param seconds seconds spent on them
     * @param meanLoss mean training loss of the epoch so far
     */
    record Step(int epoch, int epochs, int stepInEpoch, int stepsPerEpoch, long images, double seconds,
                double meanLoss, double learningRate) {
        public double imagesPerSecond() {
            return seconds > 0 ? images / seconds : 0;
        }
    }

    /** The epoch's record, the full validation report and one ROC curve per class. */
    record EpochEnd(EpochRecord record, int epochs, EvaluationReport validation, List<RocCurve> rocCurves) {
    }
}
