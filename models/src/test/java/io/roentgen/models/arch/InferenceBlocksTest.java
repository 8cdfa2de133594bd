package io.roentgen.models.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.roentgen.engine.RoentgenException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The inference form of every architecture computes what the trained network computes in
 * inference mode, with batch norms that are far from their initial identity (random scale, shift
 * and running statistics), and leaves the trained parameters alone.
 */
class InferenceBlocksTest {
    private static final int SIZE = 64;

    @BeforeAll
    static void applyEngineSettings() {
        Networks.applyEngineSettings();
    }

    @ParameterizedTest
    @CsvSource({"small,1", "small,3", "resnet18,1", "resnet18,3", "resnet34,1", "resnet50,1", "resnet50,3",
            "densenet121,1", "densenet121,3", "mobilenet_v2,1", "mobilenet_v2,3"})
    void foldedNetworkScoresAsTheTrainedOne(String name, int channels) throws RoentgenException {
        try (NDManager manager = Networks.cpuManager()) {
            Block trained = Networks.initialized(manager, name, channels, 3, SIZE);
            randomiseBatchNorms(trained, new Random(11));
            List<float[]> before = parameterValues(trained);
            NDArray x = manager.randomNormal(new Shape(2, channels, SIZE, SIZE));

            float[] expected = softmax(trained, manager, x);
            Block inference = InferenceBlocks.forInference(trained, manager);
            float[] folded = softmax(inference, manager, x);

            assertArrayEquals(expected, folded, 1e-4f, name + " with " + channels + " channels");
            List<float[]> after = parameterValues(trained);
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), name + ": trained parameter " + i + " changed");
            }
            assertArrayEquals(expected, softmax(trained, manager, x), name + ": the trained network changed");
        }
    }

    @ParameterizedTest
    @CsvSource({"small,0", "resnet18,0", "resnet50,0", "mobilenet_v2,0",
            // 3 transition norms and norm5 follow a ReLU or a concatenation; the norm1 of each of the
            // 58 dense layers does too, and becomes an AffineBatchNorm
            "densenet121,4"})
    void everyConvolutionFollowedByABatchNormIsFolded(String name, int normsLeft) throws RoentgenException {
        try (NDManager manager = Networks.cpuManager()) {
            Block trained = Networks.initialized(manager, name, 1, 2, SIZE);
            Block inference = InferenceBlocks.forInference(trained, manager);
            assertEquals(normsLeft, countBatchNorms(inference), name);
            assertEquals(name.equals("densenet121") ? 58 : 0, count(inference, AffineBatchNorm.class), name);
            assertTrue(countBatchNorms(trained) > normsLeft, name);
        }
    }

    @Test
    void shapesOfTheInferenceFormMatchTheTrainedNetwork() throws RoentgenException {
        try (NDManager manager = Networks.cpuManager()) {
            Block trained = Networks.initialized(manager, "densenet121", 1, 2, SIZE);
            Shape[] in = {new Shape(4, 1, SIZE, SIZE)};
            assertArrayEquals(trained.getOutputShapes(in), InferenceBlocks.forInference(trained, manager).getOutputShapes(in));
        }
    }

    private static int count(Block block, Class<? extends Block> type) {
        int n = type.isInstance(block) ? 1 : 0;
        for (Block child : block.getChildren().values()) {
            n += count(child, type);
        }
        return n;
    }

    private static int countBatchNorms(Block block) {
        int n = block instanceof BatchNorm2d ? 1 : 0;
        for (Block child : block.getChildren().values()) {
            n += countBatchNorms(child);
        }
        return n;
    }

    /** Scale in [0.5, 1.5], shift and mean in [-0.5, 0.5], variance in [0.3, 2.3]. */
    private static void randomiseBatchNorms(Block block, Random random) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (Pair<String, Parameter> p : block.getParameters()) {
                String key = p.getKey();
                double low = key.endsWith("gamma") ? 0.5 : key.endsWith("runningVar") ? 0.3 : -0.5;
                if (key.endsWith("gamma") || key.endsWith("beta") || key.endsWith("runningMean")
                        || key.endsWith("runningVar")) {
                    NDArray array = p.getValue().getArray();
                    float[] values = new float[Math.toIntExact(array.size())];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (low + random.nextDouble() * (key.endsWith("runningVar") ? 2 : 1));
                    }
                    array.set(FloatBuffer.wrap(values));
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    private static List<float[]> parameterValues(Block block) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            values.add(p.getValue().getArray().toFloatArray());
        }
        return values;
    }

    private static float[] softmax(Block network, NDManager manager, NDArray x) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = manager.newSubManager()) {
            NDList out = network.forward(new ParameterStore(scope, false), new NDList(x), false);
            return out.singletonOrThrow().softmax(1).toFloatArray();
        } finally {
            JniUtils.setGradMode(grad);
        }
    }
}
