package io.roentgen.engine.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.roentgen.engine.EngineSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loading Roentgen's library answers oneMKL's vendor check on AMD CPUs and nowhere else, and the
 * matrix products MKL then computes stay right: float32 products of odd sizes (edge blocks of
 * every kernel) against a float64 loop in Java.
 */
class MklKernelsTest {

    @BeforeAll
    static void loadLibrary() {
        EngineSettings.fromEnvironment().apply();
        assertTrue(NativeLibrary.load(), "libroentgen_torch.so built and loaded");
    }

    @Test
    void mklIsToldTheCpuIsIntelOnAmdCpus() throws IOException {
        boolean amd = Files.readString(Path.of("/proc/cpuinfo")).contains("AuthenticAMD");
        assertEquals(amd ? "MKL Intel kernels on this AMD CPU" : "MKL default", NativeLibrary.mklKernels());
    }

    @Test
    void matrixProductsMatchAFloat64Reference() {
        int[][] shapes = {{513, 300, 257}, {100352 / 64, 64, 128}, {7, 1000, 3}, {1, 512, 2}};
        Random random = new Random(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int[] s : shapes) {
                float[] a = gaussian(random, s[0] * s[1]);
                float[] b = gaussian(random, s[1] * s[2]);
                NDArray product = manager.create(a, new Shape(s[0], s[1]))
                        .matMul(manager.create(b, new Shape(s[1], s[2])));
                float[] actual = product.toType(DataType.FLOAT32, false).toFloatArray();
                double[] expected = reference(a, b, s[0], s[1], s[2]);
                for (int i = 0; i < expected.length; i++) {
                    // float32 accumulation of k products of unit normals: error grows like sqrt(k)
                    double tolerance = 1e-5 * Math.sqrt(s[1]) * 10;
                    assertEquals(expected[i], actual[i], tolerance, "element " + i + " of " + s[0] + "x" + s[1] + "x" + s[2]);
                }
            }
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static double[] reference(float[] a, float[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double aip = a[i * k + p];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += aip * b[p * n + j];
                }
            }
        }
        return c;
    }
}
