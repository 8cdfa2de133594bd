package io.roentgen.engine.torch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import io.roentgen.engine.EngineSettings;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JNI in-place activations against DJL's out-of-place ones, values and gradients. */
class InPlaceOpsTest {

    @BeforeAll
    static void loadEngine() {
        EngineSettings.fromEnvironment().apply();
        Engine.getEngine("PyTorch");
    }

    @AfterEach
    void enableAgain() {
        InPlaceOps.setEnabled(true);
    }

    @Test
    void theLibraryIsBuiltAndBindsToDjlsLibtorch() {
        // Linux x86-64 is where the suite runs; a jar without the library would silently be slower.
        assertTrue(InPlaceOps.available(), "libroentgen_torch.so built and bound to relu_/relu6_");
    }

    @Test
    void reluOverwritesItsInputWithDjlsValues() {
        compareWithDjl(InPlaceOps::relu, Activation::relu);
    }

    @Test
    void relu6OverwritesItsInputWithDjlsValues() {
        compareWithDjl(InPlaceOps::relu6, Activation::relu6);
    }

    @Test
    void switchedOffItFallsBackToANewArray() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray x = manager.create(new float[] {-1, 2});
            assertTrue(InPlaceOps.setEnabled(false));
            assertFalse(InPlaceOps.available());
            NDArray y = InPlaceOps.relu(x);
            assertNotSame(x, y);
            assertArrayEquals(new float[] {-1, 2}, x.toFloatArray());
            assertArrayEquals(new float[] {0, 2}, y.toFloatArray());
        }
    }

    @Test
    void gradientsThroughInPlaceEqualOutOfPlace() {
        float[] inPlace = gradientOfSquaredSum(true);
        float[] outOfPlace = gradientOfSquaredSum(false);
        assertArrayEquals(outOfPlace, inPlace, 1e-6f);
        assertTrue(outOfPlace[0] == 0 && outOfPlace[outOfPlace.length - 1] > 0, "negative inputs get no gradient");
    }

    @Test
    void libtorchErrorsBecomeJavaExceptions() {
        // PyTorch refuses in-place ops on a leaf that requires grad; the C++ error must not abort the JVM.
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray leaf = manager.create(new float[] {-1, 1});
            leaf.setRequiresGradient(true);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> InPlaceOps.relu(leaf));
            assertTrue(e.getMessage().contains("in-place"), e.getMessage());
        }
    }

    private static void compareWithDjl(UnaryOperator<NDArray> ours, UnaryOperator<NDArray> djl) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray x = manager.randomNormal(0, 5, new Shape(2, 3, 17, 19), ai.djl.ndarray.types.DataType.FLOAT32);
            float[] expected = djl.apply(x).toFloatArray();
            NDArray result = ours.apply(x);
            assertSame(x, result, "written into the input");
            assertArrayEquals(expected, x.toFloatArray(), 0f);
            assertEquals(new Shape(2, 3, 17, 19), x.getShape());
        }
    }

    /** d/dx sum(relu(2x)^2) for x = -2..2, with ReLU in place or not. */
    private static float[] gradientOfSquaredSum(boolean inPlace) {
        InPlaceOps.setEnabled(inPlace);
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
             GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray x = manager.create(new float[] {-2, -1, -0.5f, 0.5f, 1, 2});
            x.setRequiresGradient(true);
            NDArray doubled = x.mul(2);
            NDArray activated = InPlaceOps.relu(doubled);
            assertEquals(inPlace, activated == doubled);
            collector.backward(activated.square().sum());
            return x.getGradient().toFloatArray();
        }
    }
}
