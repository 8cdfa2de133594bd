package io.roentgen.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneDnnIsaCapTest {
    private static final String ZEN5 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 26
            model\t\t: 2
            flags\t\t: fpu sse2 avx2 avx512f avx512dq avx512_bf16

            processor\t: 1
            vendor_id\t: AuthenticAMD
            """;
    private static final String ZEN4 = ZEN5.replace("cpu family\t: 26", "cpu family\t: 25");
    private static final String INTEL = ZEN5.replace("AuthenticAMD", "GenuineIntel").replace("cpu family\t: 26", "cpu family\t: 6");
    private static final String ZEN5_WITHOUT_AVX512 = ZEN5.replace("avx512f avx512dq avx512_bf16", "");

    @Test
    void capsOnlyTheCpusWhoseAvx512KernelsWereWrong() {
        assertEquals("AVX2", OneDnnIsaCap.decide(k -> null, Map.of(), ZEN5));
        assertEquals("", OneDnnIsaCap.decide(k -> null, Map.of(), ZEN4));
        assertEquals("", OneDnnIsaCap.decide(k -> null, Map.of(), INTEL));
        assertEquals("", OneDnnIsaCap.decide(k -> null, Map.of(), ZEN5_WITHOUT_AVX512));
        assertEquals("", OneDnnIsaCap.decide(k -> null, Map.of(), ""), "no /proc/cpuinfo: no cap");
    }

    @Test
    void theEnvironmentWinsThenThePropertyOnAnyCpu() {
        assertEquals("AVX512_CORE", OneDnnIsaCap.decide(k -> "ALL", Map.of("ONEDNN_MAX_CPU_ISA", "AVX512_CORE"), ZEN5));
        assertEquals("SSE41", OneDnnIsaCap.decide(k -> null, Map.of("DNNL_MAX_CPU_ISA", "SSE41"), ZEN5));
        assertEquals("ALL", OneDnnIsaCap.decide(k -> "all", Map.of(), ZEN5), "the property lifts the cap");
        assertEquals("AVX2", OneDnnIsaCap.decide(k -> "avx2", Map.of(), INTEL));
    }

    @Test
    void cpuInfoFieldsAreReadFromTheFirstProcessorOnly() {
        String firstIntelThenAmd = INTEL + "\nprocessor\t: 1\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nflags\t: avx512f\n";
        assertFalse(OneDnnIsaCap.hasBrokenAvx512Kernels(firstIntelThenAmd));
        assertTrue(OneDnnIsaCap.hasBrokenAvx512Kernels(ZEN5));
    }

    /**
     * The failure the cap exists for, on whatever CPU runs the suite: convolution input gradients
     * of finite inputs must be finite. On the Zen 5 machine without the cap, 4 to 12 of 1,500
     * passes held NaN; with it, none.
     */
    @Test
    void convolutionGradientsStayFiniteAfterApply() {
        EngineSettings.fromEnvironment().apply();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed(11);
            Block conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8).build();
            Shape shape = new Shape(16, 8, 16, 16);
            conv.initialize(manager, DataType.FLOAT32, shape);
            int passesWithNaN = 0;
            for (int pass = 0; pass < 1500; pass++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = step.randomNormal(shape);
                    x.setRequiresGradient(true);
                    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray y = conv.forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow();
                        collector.backward(y.mul(y).sum());
                    }
                    if (x.getGradient().isNaN().any().getBoolean()) {
                        passesWithNaN++;
                    }
                }
            }
            assertEquals(0, passesWithNaN, "passes with NaN input gradients (oneDNN ISA cap "
                    + OneDnnIsaCap.apply() + ")");
        }
    }
}
