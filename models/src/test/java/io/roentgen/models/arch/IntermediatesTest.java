package io.roentgen.models.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.ChannelsLast;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A forward pass frees its activations as it goes instead of leaving them all to the caller's
 * manager: what is still open in that manager after the pass is a small fraction of what the pass
 * made, and the input is never closed.
 */
class IntermediatesTest {
    private static final int SIZE = 64;

    @BeforeAll
    static void applyEngineSettings() {
        Networks.applyEngineSettings();
    }

    @ParameterizedTest
    @CsvSource({"small,true", "resnet18,true", "resnet50,true", "densenet121,true", "mobilenet_v2,true",
            "resnet18,false", "densenet121,false"})
    void aForwardPassLeavesOnlyAFractionOfItsActivationsOpen(String name, boolean inferenceForm)
            throws RoentgenException {
        try (NDManager manager = Networks.cpuManager()) {
            Block trained = Networks.initialized(manager, name, 1, 2, SIZE);
            Block block = inferenceForm ? InferenceBlocks.forInference(trained, manager) : trained;
            boolean grad = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = ChannelsLast.of(scope.randomNormal(new Shape(4, 1, SIZE, SIZE)));
                long inputElements = openElements(scope);
                NDArray y = block.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow();
                long left = openElements(scope) - inputElements - y.size();
                long made = activationElements(trained, new Shape(4, 1, SIZE, SIZE));
                assertTrue(left * 10 < made, () -> name + ": " + left + " of " + made + " activation elements still open: "
                        + openShapes(scope));
                assertFalse(x.isReleased(), "the input was closed");
                y.toFloatArray();
            } finally {
                JniUtils.setGradMode(grad);
            }
        }
    }

    @Test
    void chainClosesConsumedOutputsButNeitherItsInputsNorPassedThroughArrays() {
        try (NDManager manager = Networks.cpuManager()) {
            NDArray input = manager.ones(new Shape(2, 3));
            Block identity = ShapedLambdaBlock.elementwise(a -> a);
            Block twice = ShapedLambdaBlock.elementwise(a -> a.mul(2));
            NDArray[] seen = new NDArray[3];
            Block spy0 = ShapedLambdaBlock.elementwise(a -> seen[0] = a);
            NDList out = Intermediates.chain(List.of(identity, twice, spy0, twice, twice), new ParameterStore(manager, false),
                    new NDList(input), false, null);
            assertFalse(input.isReleased(), "the chain's input");
            assertTrue(seen[0].isReleased(), "an output the next block consumed");
            assertArrayEquals(new float[] {8, 8, 8, 8, 8, 8}, out.singletonOrThrow().toFloatArray());
        }
    }

    /** Elements of every array the trained network's layers output, from their shapes. */
    private static long activationElements(Block block, Shape input) {
        long sum = 0;
        Shape[] shapes = {input};
        for (Block child : block.getChildren().values()) {
            sum += child.getChildren().isEmpty() ? 0 : activationElements(child, shapes[0]);
            shapes = child.getOutputShapes(shapes);
            sum += shapes[0].size();
        }
        return sum;
    }

    private static Map<String, Integer> openShapes(NDManager scope) {
        Map<String, Integer> counts = new TreeMap<>();
        for (NDArray array : scope.getManagedArrays()) {
            if (!array.isReleased()) {
                counts.merge(array.getShape().toString(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static long openElements(NDManager scope) {
        long sum = 0;
        for (NDArray array : scope.getManagedArrays()) {
            if (!array.isReleased()) {
                sum += array.size();
            }
        }
        return sum;
    }
}
