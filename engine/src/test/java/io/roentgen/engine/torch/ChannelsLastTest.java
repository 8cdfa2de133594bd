package io.roentgen.engine.torch;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import io.roentgen.engine.EngineSettings;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Convolutions on channels-last batches against a plain-loop reference, with every new CPU
 * allocation filled with NaN ({@link NativeLibrary#junkFill}): a kernel that reads memory it
 * never wrote fails on every pass, not on one in a hundred as it does with recycled memory.
 *
 * <p>Whether libtorch's default NCHW layout reads uninitialised channel padding depends on the
 * CPU (it did on the Zen 5 machine of docs/DECISIONS.md 30, not on an Intel Xeon with AMX), so
 * nothing here asserts that defect: the tests check that the layout our networks use on this
 * machine computes the right values and gradients.
 */
class ChannelsLastTest {
    private static final int N = 2;
    private static final int SIZE = 9;

    private NDManager manager;

    @BeforeEach
    void junkFillOn() {
        EngineSettings.fromEnvironment().apply();
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        manager.zeros(new Shape(1)); // loads libtorch, whose flag the switch sets
        assertTrue(NativeLibrary.junkFill(true), "libroentgen_torch.so or c10's junk-fill flag is missing");
    }

    @AfterEach
    void junkFillOff() {
        NativeLibrary.junkFill(false);
        manager.close();
    }

    @Test
    void convolutionValuesAndGradientsMatchTheReferenceForChannelCountsOffTheSimdBlocks() {
        int[][] channels = {{8, 12}, {16, 4}, {24, 24}, {3, 20}, {1, 16}, {32, 40}};
        for (int[] c : channels) {
            Conv conv = new Conv(c[0], c[1], new Random(c[0] * 100L + c[1]));
            Conv.Result reference = conv.reference();
            Conv.Result actual = conv.run(manager);
            String what = c[0] + " -> " + c[1] + " channels: ";
            assertClose(reference.output(), actual.output(), what + "output");
            assertClose(reference.inputGradient(), actual.inputGradient(), what + "input gradient");
            assertClose(reference.weightGradient(), actual.weightGradient(), what + "weight gradient");
        }
    }

    @Test
    void layoutIsAViewForOneChannelAndKeepsShapeAndValues() {
        NDArray one = manager.randomNormal(new Shape(2, 1, 5, 7));
        NDArray three = manager.randomNormal(new Shape(2, 3, 5, 7));
        for (NDArray x : new NDArray[] {one, three}) {
            NDArray laid = ChannelsLast.of(x);
            assertEquals(x.getShape(), laid.getShape());
            assertArrayEquals(x.toFloatArray(), laid.toFloatArray());
        }
    }

    @Test
    void onForTheCpuByDefaultAndSwitchable() {
        NDArray x = manager.randomNormal(new Shape(1, 3, 4, 4));
        assertTrue(ChannelsLast.forDevice(Device.cpu()).apply(x) != x, "channels-last on the CPU by default");
        assertTrue(ChannelsLast.forDevice(Device.gpu()).apply(x) == x, "not on GPUs by default");
        String previous = ChannelsLast.setMode("false");
        try {
            assertTrue(ChannelsLast.forDevice(Device.cpu()).apply(x) == x, "switched off");
            ChannelsLast.setMode("true");
            assertTrue(ChannelsLast.forDevice(Device.gpu()).apply(x) != x, "switched on for every device");
        } finally {
            ChannelsLast.setMode(previous);
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(expected[i] - actual[i]);
            if (!(error <= 1e-4 * scale + 1e-5)) { // also fails on NaN
                throw new AssertionError(what + " differs at " + i + ": expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    /** A 3x3, stride 1, padding 1 convolution without bias, and loss sum(y^2). */
    private static final class Conv {
        private final int in;
        private final int out;
        private final float[] x;
        private final float[] w;

        Conv(int in, int out, Random random) {
            this.in = in;
            this.out = out;
            this.x = gaussian(random, N * in * SIZE * SIZE);
            this.w = gaussian(random, out * in * 9);
        }

        record Result(float[] output, float[] inputGradient, float[] weightGradient) {
        }

        /** Runs in the layout Roentgen's networks give CPU batches. */
        Result run(NDManager manager) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray input = scope.create(x, new Shape(N, in, SIZE, SIZE));
                NDArray weight = scope.create(w, new Shape(out, in, 3, 3));
                input.setRequiresGradient(true);
                weight.setRequiresGradient(true);
                NDArray y;
                try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray laid = ChannelsLast.forDevice(Device.cpu()).apply(input);
                    y = Conv2d.conv2d(laid, weight, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).get(0);
                    collector.backward(y.mul(y).sum());
                }
                return new Result(y.toFloatArray(), input.getGradient().toFloatArray(), weight.getGradient().toFloatArray());
            }
        }

        Result reference() {
            float[] y = new float[N * out * SIZE * SIZE];
            double[] gx = new double[x.length];
            double[] gw = new double[w.length];
            for (int n = 0; n < N; n++) {
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < SIZE; i++) {
                        for (int j = 0; j < SIZE; j++) {
                            double sum = 0;
                            for (int c = 0; c < in; c++) {
                                for (int k = 0; k < 9; k++) {
                                    int p = i + k / 3 - 1;
                                    int q = j + k % 3 - 1;
                                    if (p >= 0 && p < SIZE && q >= 0 && q < SIZE) {
                                        sum += (double) w[(o * in + c) * 9 + k] * x[((n * in + c) * SIZE + p) * SIZE + q];
                                    }
                                }
                            }
                            y[((n * out + o) * SIZE + i) * SIZE + j] = (float) sum;
                            double dy = 2 * sum;
                            for (int c = 0; c < in; c++) {
                                for (int k = 0; k < 9; k++) {
                                    int p = i + k / 3 - 1;
                                    int q = j + k % 3 - 1;
                                    if (p >= 0 && p < SIZE && q >= 0 && q < SIZE) {
                                        int xi = ((n * in + c) * SIZE + p) * SIZE + q;
                                        gx[xi] += dy * w[(o * in + c) * 9 + k];
                                        gw[(o * in + c) * 9 + k] += dy * x[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return new Result(y, toFloats(gx), toFloats(gw));
        }

        private static float[] toFloats(double[] values) {
            float[] floats = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                floats[i] = (float) values[i];
            }
            return floats;
        }

        private static float[] gaussian(Random random, int length) {
            float[] values = new float[length];
            for (int i = 0; i < length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            return values;
        }
    }
}
