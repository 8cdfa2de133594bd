package io.roentgen.models.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.roentgen.engine.torch.ChannelsLast;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher runs libtorch with its AVX-512 ATen kernels where the CPU has them
 * (cli/src/main/sh/cpu-kernels.sh, docs/DECISIONS.md 36): batch norm in training and inference,
 * ReLU, pooling, additions and copies then compute what libtorch's default kernels compute. A
 * child JVM with {@code ATEN_CPU_CAPABILITY=avx512} prints its outputs; this JVM, on the default
 * kernels, computes the same networks from the same seed (on a CPU without AVX-512, the child
 * runs the AVX2 kernels instead).
 */
class AtenAvx512KernelsTest {
    private static final List<String> NETWORKS = List.of("resnet18", "densenet121", "mobilenet_v2");
    private static final int SIZE = 64;

    @Test
    void networksComputeTheSameWithAvx512Kernels() throws Exception {
        String flags = " " + Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("flags")).findFirst().orElse("") + " ";
        // Without AVX-512 the launcher selects nothing and avx512 would be an illegal instruction:
        // the child then runs the explicitly selected AVX2 kernels, the same comparison one level down.
        String capability = List.of("avx512f", "avx512bw", "avx512vl", "avx512dq").stream()
                .allMatch(f -> flags.contains(" " + f + " ")) ? "avx512" : "avx2";
        assertTrue(System.getenv("ATEN_CPU_CAPABILITY") == null, "this JVM must run libtorch's default kernels");
        List<String> child = childOutputs(capability);
        Networks.applyEngineSettings();
        for (int i = 0; i < NETWORKS.size(); i++) {
            float[][] here = outputs(NETWORKS.get(i));
            for (int form = 0; form < 2; form++) {
                float[] there = parse(child.get(2 * i + form));
                assertEquals(here[form].length, there.length);
                for (int k = 0; k < there.length; k++) {
                    assertEquals(here[form][k], there[k], 2e-4 * Math.max(1, Math.abs(here[form][k])),
                            NETWORKS.get(i) + (form == 0 ? " training-mode output " : " inference-form scores ") + k);
                }
            }
        }
    }

    /** Training-mode output (batch statistics) and inference-form softmax of one seeded network. */
    static float[][] outputs(String name) throws Exception {
        try (NDManager manager = Networks.cpuManager()) {
            Block block = Networks.initialized(manager, name, 1, 3, SIZE);
            Engine.getInstance().setRandomSeed(99);
            NDArray x = ChannelsLast.of(manager.randomNormal(new Shape(4, 1, SIZE, SIZE)));
            boolean grad = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try {
                float[] training = block.forward(new ParameterStore(manager, false), new NDList(x), true)
                        .singletonOrThrow().toFloatArray();
                Block inference = InferenceBlocks.forInference(block, manager);
                float[] scores = inference.forward(new ParameterStore(manager, false), new NDList(x), false)
                        .singletonOrThrow().softmax(1).toFloatArray();
                return new float[][] {training, scores};
            } finally {
                JniUtils.setGradMode(grad);
            }
        }
    }

    /** Child JVM entry point: one line of numbers per output. */
    public static void main(String[] args) throws Exception {
        Networks.applyEngineSettings();
        for (String name : NETWORKS) {
            for (float[] output : outputs(name)) {
                System.out.println(Arrays.toString(output));
            }
        }
    }

    private static List<String> childOutputs(String capability) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AtenAvx512KernelsTest.class.getName());
        builder.environment().put("ATEN_CPU_CAPABILITY", capability);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(300, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals(0, process.exitValue(), out);
        List<String> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("[")) {
                lines.add(line);
            }
        }
        assertEquals(2 * NETWORKS.size(), lines.size(), out);
        return lines;
    }

    private static float[] parse(String line) {
        String[] parts = line.substring(1, line.length() - 1).split(", ");
        float[] values = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Float.parseFloat(parts[i]);
        }
        return values;
    }
}
