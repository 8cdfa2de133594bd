package io.roentgen.training.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Clinical metrics from predicted probabilities and true labels, in plain Java (no tensors), so
 * they can be checked by hand and reused by evaluation tools.
 *
 * <p>Multi-class: {@code probabilities[i]} is a softmax row and {@code targets[i]} one-hot; each
 * class is scored one-vs-rest, accuracy and the confusion matrix use the arg-max. Multi-label:
 * each class is independent, accuracy is the fraction of (case, class) calls right at 0.5.
 */
public final class Metrics {

    private Metrics() {
    }

    /**
     * @param bootstrapResamples 0 for no confidence intervals
     * @param seed seeds the bootstrap; class c uses seed + c, the macro interval seed - 1
     */
    public static EvaluationReport evaluate(double[][] probabilities, boolean[][] targets, boolean multiLabel,
                                            List<String> classNames, double loss, int bootstrapResamples, long seed) {
        int classes = classNames.size();
        List<ClassMetrics> perClass = new ArrayList<>(classes);
        for (int c = 0; c < classes; c++) {
            perClass.add(classMetrics(classNames.get(c), column(probabilities, c), column(targets, c),
                    bootstrapResamples, seed + c));
        }
        ConfidenceInterval macroInterval = bootstrapResamples == 0 ? null
                : Bootstrap.percentile95(probabilities.length, bootstrapResamples, seed - 1,
                        indices -> macroAuroc(probabilities, targets, indices));
        ConfusionMatrix confusion = multiLabel ? null
                : ConfusionMatrix.of(argMax(targets), argMax(probabilities), classes);
        return new EvaluationReport(loss,
                multiLabel ? labelAccuracy(probabilities, targets) : argMaxAccuracy(probabilities, targets),
                List.copyOf(perClass),
                macro(perClass, ClassMetrics::auroc), macroInterval,
                macro(perClass, ClassMetrics::sensitivity), macro(perClass, ClassMetrics::specificity),
                macro(perClass, ClassMetrics::f1), confusion);
    }

    public static ClassMetrics classMetrics(String name, double[] scores, boolean[] positive,
                                            int bootstrapResamples, long seed) {
        YoudenThreshold youden = YoudenThreshold.of(scores, positive);
        ConfidenceInterval interval = bootstrapResamples == 0 ? null
                : Bootstrap.percentile95(scores.length, bootstrapResamples, seed, Bootstrap.auroc(scores, positive));
        BinaryCounts atYouden = Double.isNaN(youden.threshold()) ? null
                : BinaryCounts.at(scores, positive, youden.threshold());
        return new ClassMetrics(name, Auroc.of(scores, positive), interval,
                BinaryCounts.at(scores, positive, 0.5), youden, atYouden);
    }

    /** Mean over the classes where {@code metric} is defined; NaN if it is defined for none. */
    public static double macro(List<ClassMetrics> classes, ToDoubleFunction<ClassMetrics> metric) {
        double sum = 0;
        int defined = 0;
        for (ClassMetrics c : classes) {
            double value = metric.applyAsDouble(c);
            if (!Double.isNaN(value)) {
                sum += value;
                defined++;
            }
        }
        return defined == 0 ? Double.NaN : sum / defined;
    }

    private static double macroAuroc(double[][] probabilities, boolean[][] targets, int[] indices) {
        int classes = probabilities[0].length;
        double sum = 0;
        int defined = 0;
        double[] scores = new double[indices.length];
        boolean[] positive = new boolean[indices.length];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < indices.length; i++) {
                scores[i] = probabilities[indices[i]][c];
                positive[i] = targets[indices[i]][c];
            }
            double auroc = Auroc.of(scores, positive);
            if (!Double.isNaN(auroc)) {
                sum += auroc;
                defined++;
            }
        }
        return defined == 0 ? Double.NaN : sum / defined;
    }

    public static double[] column(double[][] rows, int c) {
        double[] column = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            column[i] = rows[i][c];
        }
        return column;
    }

    public static boolean[] column(boolean[][] rows, int c) {
        boolean[] column = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            column[i] = rows[i][c];
        }
        return column;
    }

    private static int[] argMax(double[][] rows) {
        int[] result = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int best = 0;
            for (int c = 1; c < rows[i].length; c++) {
                if (rows[i][c] > rows[i][best]) best = c;
            }
            result[i] = best;
        }
        return result;
    }

    private static int[] argMax(boolean[][] rows) {
        int[] result = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < rows[i].length; c++) {
                if (rows[i][c]) {
                    result[i] = c;
                    break;
                }
            }
        }
        return result;
    }

    private static double argMaxAccuracy(double[][] probabilities, boolean[][] targets) {
        int[] predicted = argMax(probabilities);
        int[] truth = argMax(targets);
        long right = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == truth[i]) right++;
        }
        return predicted.length == 0 ? Double.NaN : (double) right / predicted.length;
    }

    private static double labelAccuracy(double[][] probabilities, boolean[][] targets) {
        long right = 0, total = 0;
        for (int i = 0; i < probabilities.length; i++) {
            for (int c = 0; c < probabilities[i].length; c++) {
                if ((probabilities[i][c] >= 0.5) == targets[i][c]) right++;
                total++;
            }
        }
        return total == 0 ? Double.NaN : (double) right / total;
    }
}
