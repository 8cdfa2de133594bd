package io.roentgen.engine.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import io.roentgen.engine.EngineSettings;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libtorch's autocast switched from Java: a convolution under {@link Autocast} gives bf16 and the
 * values real PyTorch (Debian's python3-torch) gives under {@code torch.autocast("cpu", torch.bfloat16)}
 * for the same input and weights.
 */
class AutocastTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Device CPU = Device.cpu();
    private static final Shape INPUT = new Shape(2, 3, 8, 8);
    private static final Shape WEIGHT = new Shape(4, 3, 3, 3);
    private static final Shape BIAS = new Shape(4);

    @TempDir
    Path directory;

    @BeforeAll
    static void loadEngine() {
        EngineSettings.fromEnvironment().apply();
        Engine.getEngine("PyTorch");
    }

    @Test
    void theLibraryBindsToLibtorchsAutocast() {
        assertTrue(Autocast.available(), "libroentgen_torch.so bound to at::autocast");
    }

    @Test
    void aConvolutionUnderBf16AutocastMatchesPyTorch() throws IOException, InterruptedException, URISyntaxException {
        Random random = new Random(22);
        float[] x = gaussian(random, INPUT);
        float[] w = gaussian(random, WEIGHT);
        float[] b = gaussian(random, BIAS);
        float[] expected = pytorchAutocastConvolution(x, w, b);
        try (NDManager manager = NDManager.newBaseManager(CPU, "PyTorch")) {
            // channels-last, as Roentgen lays out every CPU batch: the oneDNN in DJL's libtorch
            // computes bf16 NCHW convolutions with padded channel blocks wrongly (DECISIONS 49)
            NDArray input = ChannelsLast.of(manager.create(x, INPUT));
            NDArray weight = manager.create(w, WEIGHT);
            NDArray bias = manager.create(b, BIAS);
            NDArray plain = convolve(input, weight, bias);
            assertEquals(DataType.FLOAT32, plain.getDataType(), "fp32 outside a scope");
            NDArray reduced;
            try (Autocast.Scope amp = Autocast.on(CPU, Precision.BF16)) {
                reduced = convolve(input, weight, bias);
            }
            float[] actual = assertBfloat16(reduced);
            float[] exact = plain.toFloatArray();
            // sum |x||w| per output: how far rounding inputs and weights to bf16 can move each sum
            float[] magnitude = convolve(input.abs(), weight.abs(), bias.zerosLike()).toFloatArray();
            assertEquals(expected.length, actual.length);
            for (int i = 0; i < actual.length; i++) {
                // A bound from first principles, not from one machine's kernels: inputs and weights
                // rounded to bf16 (2^-9 each), the bias to bf16, and the output rounded once more.
                // oneDNN's bf16 kernels differ by CPU (AVX-512 BF16 or emulated), so each side may
                // sit anywhere within it; PyTorch's value and ours are within twice the bound.
                // NCHW output of 2 x 4 x 8 x 8: the channel, hence the bias, is (i / 64) % 4
                float bound = magnitude[i] * 0x1p-8f + Math.abs(b[(i / (8 * 8)) % 4]) * 0x1p-9f
                        + bf16Step(exact[i]) + 1e-6f;
                assertEquals(exact[i], actual[i], bound, "element " + i + " against fp32");
                assertEquals(expected[i], actual[i], 2 * bound, "element " + i + " against PyTorch's autocast");
            }
            assertTrue(maxDifference(exact, actual) > 0, "bf16 results differ from fp32 (rounded)");
        }
    }

    /**
     * The network's bf16 output cast to fp32 stays in the graph: DJL's own toType would cut it
     * (NoGradGuard), and a bf16 loss aborts DJL's backward (docs/DECISIONS.md).
     */
    @Test
    void theFullPrecisionCastIsFp32AndKeepsTheGradient() {
        try (NDManager manager = NDManager.newBaseManager(CPU, "PyTorch")) {
            NDArray w = manager.create(new float[] {1.5f, -2f}, new Shape(1, 2));
            w.setRequiresGradient(true);
            assertTrue(Autocast.toFullPrecision(w) == w, "an fp32 array is returned as it is");
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray output;
                try (Autocast.Scope amp = Autocast.on(CPU, Precision.BF16)) {
                    NDArray low = w.matMul(manager.ones(new Shape(2, 1)));
                    assertBfloat16(low);
                    output = Autocast.toFullPrecision(low);
                }
                assertEquals(DataType.FLOAT32, output.getDataType());
                assertEquals(-0.5f, output.getFloat(0, 0));
                collector.backward(output.mul(3).sum());
            }
            assertArrayEquals(new float[] {3f, 3f}, w.getGradient().toFloatArray(), "d(3 w.1)/dw through the bf16 product");
        }
    }

    @Test
    void theScopeIsPerThreadAndRestoresTheStateBefore() throws Exception {
        assertFalse(Autocast.isOn(CPU));
        try (Autocast.Scope outer = Autocast.on(CPU, Precision.BF16)) {
            try (Autocast.Scope inner = Autocast.on(CPU, Precision.FP16)) {
                assertTrue(Autocast.isOn(CPU));
            }
            assertTrue(Autocast.isOn(CPU), "closing the inner scope keeps the outer one on");
            boolean otherThread = CompletableFuture.supplyAsync(() -> Autocast.isOn(CPU)).get(30, TimeUnit.SECONDS);
            assertFalse(otherThread, "another thread does not see this thread's autocast");
            try (NDManager manager = NDManager.newBaseManager(CPU, "PyTorch")) {
                // a matrix product autocasts too; 1 + 2^-10 is an fp16 number, not a bf16 one: bf16 rounds it to 1
                NDArray y = manager.full(new Shape(1, 1), 1 + 0x1p-10f).matMul(manager.ones(new Shape(1, 1)));
                assertEquals(1f, assertBfloat16(y)[0], "the outer scope's bf16 is back after the inner fp16 scope closed");
            }
        }
        assertFalse(Autocast.isOn(CPU));
        try (Autocast.Scope none = Autocast.on(CPU, Precision.FP32)) {
            assertFalse(Autocast.isOn(CPU), "fp32 changes nothing");
        }
    }

    @Test
    void aScopeClosedOnAnotherThreadIsRefused() throws Exception {
        try (Autocast.Scope scope = Autocast.on(CPU, Precision.BF16)) {
            Throwable thrown = CompletableFuture.runAsync(scope::close)
                    .handle((ok, error) -> error).get(30, TimeUnit.SECONDS);
            assertTrue(thrown != null && thrown.getCause() instanceof IllegalStateException, String.valueOf(thrown));
            assertTrue(Autocast.isOn(CPU));
        }
        assertFalse(Autocast.isOn(CPU));
    }

    /**
     * The array's values, asserting they are bf16: DJL 0.36 names no bf16 type for libtorch's
     * (its type reads UNKNOWN), so the check is that it is not fp32 and that every value, widened
     * to fp32, has bf16's 8 significant bits only (the low 16 bits of the fp32 pattern are zero).
     */
    private static float[] assertBfloat16(NDArray array) {
        assertTrue(array.getDataType() != DataType.FLOAT32 && array.getDataType() != DataType.FLOAT16,
                "a 16-bit result: " + array.getDataType());
        float[] values = array.toType(DataType.FLOAT32, false).toFloatArray();
        for (float v : values) {
            assertEquals(0, Float.floatToRawIntBits(v) & 0xffff, "not a bf16 value: " + v);
        }
        return values;
    }

    private static NDArray convolve(NDArray input, NDArray weight, NDArray bias) {
        return Conv2d.conv2d(input, weight, bias, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
    }

    private float[] pytorchAutocastConvolution(float[] x, float[] w, float[] b)
            throws IOException, InterruptedException, URISyntaxException {
        write(directory.resolve("x.f32"), x);
        write(directory.resolve("w.f32"), w);
        write(directory.resolve("b.f32"), b);
        Files.writeString(directory.resolve("shapes.txt"), dims(INPUT) + "\n" + dims(WEIGHT) + "\n" + dims(BIAS) + "\n");
        Path script = Path.of(AutocastTest.class.getResource("autocast_conv.py").toURI());
        Path log = directory.resolve("python.log");
        Process process = new ProcessBuilder(PYTHON, script.toString(), directory.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(2, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "python timed out:\n" + output);
        assertEquals(0, process.exitValue(), "python failed:\n" + output);
        assertEquals("torch.bfloat16", Files.readString(directory.resolve("dtype.txt")).trim());
        byte[] bytes = Files.readAllBytes(directory.resolve("y.f32"));
        float[] y = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(y);
        return y;
    }

    private static float bf16Step(float value) {
        // bf16 keeps 8 significant bits: one step is 2^-7 of the value's power of two
        return Math.abs(value) < Float.MIN_NORMAL ? 0 : Math.scalb(1f, Math.getExponent(value) - 7);
    }

    private static float maxDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static float[] gaussian(Random random, Shape shape) {
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static String dims(Shape shape) {
        StringBuilder text = new StringBuilder();
        for (long d : shape.getShape()) {
            text.append(text.length() == 0 ? "" : " ").append(d);
        }
        return text.toString();
    }

    private static void write(Path file, float[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        Files.write(file, bytes.array());
    }
}
