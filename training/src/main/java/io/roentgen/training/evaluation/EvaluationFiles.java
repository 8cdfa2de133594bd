package io.roentgen.training.evaluation;

import io.roentgen.engine.RoentgenException;
import io.roentgen.models.report.ConfusionMatrixChart;
import io.roentgen.models.report.RocChart;
import io.roentgen.training.metrics.RocCurve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The files of an evaluation in a folder: the ROC curves and the confusion matrix as PNGs, and the JSON. */
public final class EvaluationFiles {
    public static final String ROC_PNG = "roc.png";
    public static final String CONFUSION_PNG = "confusion-matrix.png";
    public static final String METRICS_JSON = "evaluation.json";

    private EvaluationFiles() {}

    /** Writes {@link #ROC_PNG}, {@link #CONFUSION_PNG} (multi-class only) and {@link #METRICS_JSON} into {@code out}. */
    public static void write(EvaluationResult result, Path out) throws RoentgenException {
        Evaluation e = result.evaluation();
        try {
            Files.createDirectories(out);
            String title = e.model().name() + (e.split() == null ? "" : ", " + e.split()) + ", " + e.images() + " images";
            List<RocChart.Curve> curves = new ArrayList<>();
            for (int c = 0; c < e.classes().size(); c++) {
                RocCurve roc = result.rocCurves().get(c);
                curves.add(new RocChart.Curve(e.classes().get(c).label(), e.classes().get(c).auroc(),
                        roc.falsePositiveRates(), roc.truePositiveRates()));
            }
            RocChart.write(curves, "ROC, " + title, out.resolve(ROC_PNG));
            if (e.confusionMatrix() != null) {
                ConfusionMatrixChart.write(e.confusionMatrix().counts(), e.confusionMatrix().labels(),
                        "Confusion matrix, " + title, out.resolve(CONFUSION_PNG));
            }
            Files.writeString(out.resolve(METRICS_JSON), e.toJson() + "\n");
        } catch (IOException ex) {
            throw new RoentgenException(out + ": cannot write: " + ex.getMessage(), false, ex);
        }
    }
}
