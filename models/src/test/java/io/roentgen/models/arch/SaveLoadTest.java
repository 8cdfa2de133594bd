package io.roentgen.models.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.roentgen.engine.RoentgenException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DJL's parameter file round-trips through every custom block: a rebuilt network computes the same logits. */
class SaveLoadTest {

    @BeforeAll
    static void applyEngineSettings() {
        Networks.applyEngineSettings();
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "resnet18", "densenet121", "mobilenet_v2"})
    void savedParametersLoadIntoAFreshNetwork(String name) throws RoentgenException, IOException, MalformedModelException {
        try (NDManager manager = Networks.cpuManager()) {
            Block original = Networks.initialized(manager, name, 1, 2, 32);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            original.saveParameters(new DataOutputStream(bytes));

            Block restored = Architectures.build(ArchitectureSpec.of(name, 1, 2).withImageSize(32));
            restored.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

            NDArray x = manager.randomNormal(new Shape(2, 1, 32, 32));
            assertArrayEquals(logits(original, manager, x), logits(restored, manager, x), name);
        }
    }

    private static float[] logits(Block network, NDManager manager, NDArray x) {
        return network.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
    }
}
