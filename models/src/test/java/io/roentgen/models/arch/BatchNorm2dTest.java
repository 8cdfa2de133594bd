package io.roentgen.models.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchNorm2d} behaves as PyTorch's {@code nn.BatchNorm2d} (momentum 0.1) and is DJL's
 * {@code BatchNorm} on disk, so bundles saved before it existed still load.
 */
class BatchNorm2dTest {
    private static final Shape SHAPE = new Shape(4, 3, 5, 5);

    @BeforeAll
    static void applyEngineSettings() {
        Networks.applyEngineSettings();
    }

    @Test
    void oneTrainingStepMovesTheRunningStatisticsAsPyTorchDoes() {
        try (NDManager manager = Networks.cpuManager()) {
            BatchNorm2d batchNorm = Layers.batchNorm();
            batchNorm.initialize(manager, DataType.FLOAT32, SHAPE);
            NDArray x = manager.randomNormal(2, 3, SHAPE, DataType.FLOAT32);
            batchNorm.forward(new ParameterStore(manager, false), new NDList(x), true);

            NDArray perChannel = x.transpose(1, 0, 2, 3).reshape(3, -1);
            NDArray batchMean = perChannel.mean(new int[] {1});
            long n = perChannel.getShape().get(1);
            // PyTorch updates the running variance with the unbiased batch variance.
            NDArray batchVar = perChannel.sub(batchMean.reshape(3, 1)).square().sum(new int[] {1}).div(n - 1);
            float[] expectedMean = batchMean.mul(0.1f).toFloatArray();
            float[] expectedVar = batchVar.mul(0.1f).add(0.9f).toFloatArray();
            assertArrayEquals(expectedMean, batchNorm.getParameters().get("runningMean").getArray().toFloatArray(), 1e-5f);
            assertArrayEquals(expectedVar, batchNorm.getParameters().get("runningVar").getArray().toFloatArray(), 1e-4f);
        }
    }

    @Test
    void savesTheBytesOfDjlsBatchNormAndComputesTheSame() throws Exception {
        try (NDManager manager = Networks.cpuManager()) {
            // DJL's momentum is the weight of the old statistic: its 0.9 is PyTorch's 0.1.
            BatchNorm djl = BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
            djl.initialize(manager, DataType.FLOAT32, SHAPE);
            NDArray x = manager.randomNormal(0, 2, SHAPE, DataType.FLOAT32);
            djl.forward(new ParameterStore(manager, false), new NDList(x), true); // moves the statistics
            byte[] saved = save(djl);

            BatchNorm2d ours = Layers.batchNorm();
            ours.initialize(manager, DataType.FLOAT32, SHAPE);
            ours.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved)));
            assertArrayEquals(saved, save(ours), "same encoding");

            for (boolean training : new boolean[] {false, true}) {
                float[] expected = djl.forward(new ParameterStore(manager, false), new NDList(x), training).head().toFloatArray();
                float[] actual = ours.forward(new ParameterStore(manager, false), new NDList(x), training).head().toFloatArray();
                assertArrayEquals(expected, actual, 1e-5f, training ? "training" : "inference");
            }
            assertArrayEquals(djl.getParameters().get("runningVar").getArray().toFloatArray(),
                    ours.getParameters().get("runningVar").getArray().toFloatArray(), 1e-6f);
        }
    }

    private static byte[] save(Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }
}
