package io.roentgen.models.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import io.roentgen.engine.torch.ChannelsLast;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 1x1 convolutions that oneDNN cannot plan run as a matrix product with the same values and
 * gradients as the convolution, and never reach oneDNN (where they killed the JVM with SIGFPE).
 */
class Conv2dOpsTest {
    private static final Shape ONE = new Shape(1, 1);
    private static final Shape ZERO = new Shape(0, 0);

    @BeforeAll
    static void applyEngineSettings() {
        Networks.applyEngineSettings();
    }

    @Test
    void plainOneByOneConvolutionsTakeTheMatrixProduct() {
        assertTrue(Conv2dOps.needsMatMul(new Shape(512, 1024, 1, 1), ZERO, ONE, 1), "DenseNet-121 transition");
        assertTrue(Conv2dOps.needsMatMul(new Shape(40, 24, 1, 1), ZERO, ONE, 1));
        assertFalse(Conv2dOps.needsMatMul(new Shape(512, 1024, 3, 3), ONE, ONE, 1));
        assertFalse(Conv2dOps.needsMatMul(new Shape(512, 1024, 1, 1), ONE, ONE, 1), "padded");
        assertFalse(Conv2dOps.needsMatMul(new Shape(96, 1, 1, 1), ZERO, ONE, 96), "grouped");
    }

    /**
     * Every convolution shape family of the architectures, on a channels-last batch as training
     * and scoring run them, against libtorch's own float64 convolution (which is not oneDNN):
     * values, input gradient and weight gradient. oneDNN's channels-last 1x1 convolutions failed
     * this (24 -> 40: 66% off) before they were routed to the matrix product.
     */
    @Test
    void everyShapeFamilyMatchesAFloat64ReferenceChannelsLast() {
        int[][] channels = {{1, 16}, {3, 20}, {8, 12}, {16, 4}, {24, 40}, {24, 24}, {32, 40}, {64, 128}, {144, 24}};
        try (NDManager manager = Networks.cpuManager()) {
            for (int kernel : new int[] {1, 3}) {
                for (int stride : new int[] {1, 2}) {
                    for (int[] c : channels) {
                        check(manager, c[0], c[1], kernel, stride, 1);
                    }
                    for (int depthwise : new int[] {32, 96, 144}) {
                        if (kernel == 3) {
                            check(manager, depthwise, depthwise, kernel, stride, depthwise);
                        }
                    }
                }
            }
            check(manager, 1, 64, 7, 2, 1); // the ResNet stem
        }
    }

    private static void check(NDManager manager, int in, int out, int kernel, int stride, int groups) {
        NDArray x0 = manager.randomNormal(0, 1, new Shape(2, in, 10, 10), DataType.FLOAT32);
        NDArray w0 = manager.randomNormal(0, 0.3f, new Shape(out, in / groups, kernel, kernel), DataType.FLOAT32);
        Shape s = new Shape(stride, stride);
        Shape pad = new Shape(kernel / 2, kernel / 2);
        float[][] expected = run(x0.toType(DataType.FLOAT64, true), w0.toType(DataType.FLOAT64, true), false,
                (x, w) -> Conv2d.conv2d(x, w, null, s, pad, ONE, groups).head());
        float[][] actual = run(x0, w0, true, (x, w) -> Conv2dOps.conv2d(x, w, null, s, pad, ONE, groups).head());
        String what = in + " -> " + out + ", " + kernel + "x" + kernel + ", stride " + stride + ", groups " + groups;
        String[] names = {"output", "input gradient", "weight gradient"};
        for (int k = 0; k < expected.length; k++) {
            assertArrayEquals(expected[k], actual[k], 1e-4f * maxAbs(expected[k]) + 1e-5f, what + ": " + names[k]);
        }
    }

    @Test
    void bottleneckLayerTrainsChannelsLastWithSeveralThreads() {
        try (NDManager manager = Networks.cpuManager()) {
            Conv2d layer = Layers.conv(512, 1, 1, 0, 1, false, new NormalInitializer(0.01f));
            Shape shape = new Shape(2, 1024, 7, 7);
            layer.initialize(manager, DataType.FLOAT32, shape);
            NDArray x = ChannelsLast.of(manager.randomNormal(shape));
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = layer.forward(new ParameterStore(manager, false), new NDList(x), true).head();
                assertEquals(new Shape(2, 512, 7, 7), y.getShape());
                collector.backward(y.sum());
            }
            assertFalse(x.getGradient().isNaN().any().getBoolean());
        }
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private interface ConvFunction {
        NDArray apply(NDArray x, NDArray w);
    }

    /** Output, input gradient and weight gradient of sum(y^2), as float. */
    private static float[][] run(NDArray x0, NDArray w0, boolean channelsLast, ConvFunction f) {
        NDArray x = x0.duplicate();
        NDArray w = w0.duplicate();
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            y = f.apply(channelsLast ? ChannelsLast.of(x) : x, w);
            collector.backward(y.mul(y).sum());
        }
        return new float[][] {floats(y), floats(x.getGradient()), floats(w.getGradient())};
    }

    private static float[] floats(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
