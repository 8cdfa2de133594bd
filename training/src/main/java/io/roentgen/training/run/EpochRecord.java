package io.roentgen.training.run;

import io.roentgen.training.metrics.ClassMetrics;
import io.roentgen.training.metrics.EvaluationReport;

import java.util.List;

/** What one epoch achieved: the line written to metrics.jsonl and kept in checkpoints. */
public record EpochRecord(
        int epoch,
        double learningRate,
        double trainLoss,
        double valLoss,
        double accuracy,
        double macroAuroc,
        double macroSensitivity,
        double macroSpecificity,
        double macroF1,
        List<ClassRecord> classes,
        double imagesPerSecond,
        double seconds) {

    /** Per class: metrics at 0.5 and at the Youden threshold. */
    public record ClassRecord(String name, double auroc, double sensitivity, double specificity, double f1,
                              double youdenThreshold, double youdenSensitivity, double youdenSpecificity) {
        static ClassRecord of(ClassMetrics m) {
            return new ClassRecord(m.name(), m.auroc(), m.sensitivity(), m.specificity(), m.f1(),
                    m.youden().threshold(), m.youden().sensitivity(), m.youden().specificity());
        }
    }

    public static EpochRecord of(int epoch, double learningRate, double trainLoss, EvaluationReport validation,
                                 double imagesPerSecond, double seconds) {
        return new EpochRecord(epoch, learningRate, trainLoss, validation.loss(), validation.accuracy(),
                validation.macroAuroc(), validation.macroSensitivity(), validation.macroSpecificity(),
                validation.macroF1(), validation.classes().stream().map(ClassRecord::of).toList(),
                imagesPerSecond, seconds);
    }

    /** The same epoch with the wall-clock fields zeroed: what must match between two runs. */
    public EpochRecord withoutTimings() {
        return new EpochRecord(epoch, learningRate, trainLoss, valLoss, accuracy, macroAuroc, macroSensitivity,
                macroSpecificity, macroF1, classes, 0, 0);
    }
}
