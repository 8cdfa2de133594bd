package io.roentgen.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.torch.Precision;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One training step under bf16 autocast (the real {@link DataParallelStep}: forward, fp32 loss,
 * backward) against the same step in fp32 and against exact double arithmetic. The network is
 * one convolution whose kernel covers the whole image, so each logit is one dot product and the
 * bounds below follow from bf16's rounding alone, as AutocastTest bounds a convolution.
 */
class MixedPrecisionStepTest {
    private static final int BATCH = 8;
    private static final int CLASSES = 2;
    private static final int SIDE = 8;
    private static final int PIXELS = SIDE * SIDE;
    /** bf16 keeps 8 significant bits: rounding to nearest moves a value by at most 2^-9 of itself. */
    private static final double HALF_ULP = 0x1p-9;

    @BeforeAll
    static void loadEngine() {
        EngineSettings.fromEnvironment().apply();
    }

    @Test
    void aBf16StepsLossAndGradientsAgreeWithFp32WithinBf16Rounding() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(22);
            SequentialBlock block = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(SIDE, SIDE)).setFilters(CLASSES).build())
                    .add(Blocks.batchFlattenBlock());
            block.initialize(manager, DataType.FLOAT32, new Shape(BATCH, 1, SIDE, SIDE));
            NDArray images = manager.randomNormal(new Shape(BATCH, 1, SIDE, SIDE));
            NDArray labels = manager.create(new long[] {0, 1, 1, 0, 1, 0, 0, 1});
            WeightedLoss loss = new WeightedLoss(false, CLASSES, null);
            Step fp32 = step(block, loss, images, labels, Precision.FP32);
            Step bf16 = step(block, loss, images, labels, Precision.BF16);
            Exact exact = new Exact(images.toFloatArray(), block.getParameters().get(0).getValue().getArray().toFloatArray(),
                    block.getParameters().get(1).getValue().getArray().toFloatArray(), new int[] {0, 1, 1, 0, 1, 0, 0, 1});

            assertEquals(exact.loss, fp32.loss, 1e-5, "fp32 loss against doubles");
            assertEquals(exact.loss, bf16.loss, exact.lossBound(), "bf16 loss within bf16 rounding of the exact loss");
            for (int o = 0; o < CLASSES; o++) {
                assertEquals(exact.biasGradient(o), fp32.biasGradient[o], 1e-5);
                assertEquals(exact.biasGradient(o), bf16.biasGradient[o], exact.biasGradientBound(o), "bias gradient " + o);
                for (int i = 0; i < PIXELS; i++) {
                    int k = o * PIXELS + i;
                    assertEquals(exact.weightGradient(o, i), fp32.weightGradient[k], 1e-5);
                    assertEquals(exact.weightGradient(o, i), bf16.weightGradient[k], exact.weightGradientBound(o, i),
                            "weight gradient " + o + "," + i);
                }
            }
            assertTrue(bf16.loss != fp32.loss, "the bf16 step computed in bf16 (its loss differs from fp32's)");
            assertTrue(norm(bf16.weightGradient) > 0.5 * norm(fp32.weightGradient), "bf16 gradients are not cut off");
        }
    }

    private record Step(float loss, float[] weightGradient, float[] biasGradient) {
    }

    private static Step step(SequentialBlock block, WeightedLoss loss, NDArray images, NDArray labels, Precision precision) {
        DataParallelStep step = new DataParallelStep(block, List.of(Device.cpu()), loss, 0, precision, null);
        try (NDScope scope = new NDScope()) {
            DataParallelStep.Gradients g = step.gradients(images, labels);
            scope.suppressNotUsedWarning();
            return new Step(g.meanLoss(), g.sums().get(0).toFloatArray(), g.sums().get(1).toFloatArray());
        }
    }

    /**
     * The step in doubles, and how far bf16 autocast may move each result. Forward: the convolution
     * takes the image and the weights rounded to bf16 (each 2^-9 relative, so a product 2^-8), adds
     * the bias rounded to bf16, accumulates in fp32 (64 terms: below 64 * 2^-24 of the sum of
     * magnitudes) and rounds its output to bf16. The loss is fp32 from there: cross-entropy moves by
     * at most 2 max|dz| per case (its gradient has 1-norm <= 2) and each softmax probability by at
     * most max|dz| / 2. Backward: dL/dz is rounded to bf16 and multiplied with the bf16 image, the
     * product accumulated in fp32 and rounded to bf16 once more. First-order bounds, with 10% slack
     * for the second-order terms.
     */
    private static final class Exact {
        final double[][] logits = new double[BATCH][CLASSES];
        final double[][] residual = new double[BATCH][CLASSES]; // softmax - one-hot
        final double[] logitError = new double[BATCH];
        final float[] x;
        final double loss;

        Exact(float[] x, float[] w, float[] b, int[] y) {
            this.x = x;
            double lossSum = 0;
            for (int n = 0; n < BATCH; n++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int o = 0; o < CLASSES; o++) {
                    double z = b[o];
                    double magnitude = 0;
                    for (int i = 0; i < PIXELS; i++) {
                        z += (double) x[n * PIXELS + i] * w[o * PIXELS + i];
                        magnitude += Math.abs((double) x[n * PIXELS + i] * w[o * PIXELS + i]);
                    }
                    logits[n][o] = z;
                    double error = magnitude * (2 * HALF_ULP + PIXELS * 0x1p-24) + Math.abs(b[o]) * HALF_ULP
                            + (Math.abs(z) + magnitude * 2 * HALF_ULP) * HALF_ULP;
                    logitError[n] = Math.max(logitError[n], error);
                    max = Math.max(max, z);
                }
                double sum = 0;
                for (int o = 0; o < CLASSES; o++) {
                    sum += Math.exp(logits[n][o] - max);
                }
                for (int o = 0; o < CLASSES; o++) {
                    residual[n][o] = Math.exp(logits[n][o] - max) / sum - (o == y[n] ? 1 : 0);
                }
                lossSum -= logits[n][y[n]] - max - Math.log(sum);
            }
            loss = lossSum / BATCH;
        }

        double lossBound() {
            double sum = 0;
            for (double e : logitError) {
                sum += 2 * e;
            }
            return 1.1 * sum / BATCH + 1e-6;
        }

        double weightGradient(int o, int i) {
            double g = 0;
            for (int n = 0; n < BATCH; n++) {
                g += residual[n][o] * x[n * PIXELS + i] / BATCH;
            }
            return g;
        }

        double weightGradientBound(int o, int i) {
            double bound = 0;
            double magnitude = 0;
            for (int n = 0; n < BATCH; n++) {
                double xi = Math.abs(x[n * PIXELS + i]);
                bound += xi * (logitError[n] / 2 + Math.abs(residual[n][o]) * 2 * HALF_ULP) / BATCH;
                magnitude += xi * Math.abs(residual[n][o]) / BATCH;
            }
            return 1.1 * (bound + magnitude * (BATCH * 0x1p-24) + (Math.abs(weightGradient(o, i)) + bound) * HALF_ULP) + 1e-7;
        }

        double biasGradient(int o) {
            double g = 0;
            for (int n = 0; n < BATCH; n++) {
                g += residual[n][o] / BATCH;
            }
            return g;
        }

        double biasGradientBound(int o) {
            double bound = 0;
            for (int n = 0; n < BATCH; n++) {
                bound += (logitError[n] / 2 + Math.abs(residual[n][o]) * HALF_ULP) / BATCH;
            }
            return 1.1 * (bound + (Math.abs(biasGradient(o)) + bound) * HALF_ULP) + 1e-7;
        }
    }

    private static double norm(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }
}
