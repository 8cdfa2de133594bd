package io.roentgen.models.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DJL's BatchNorm momentum 0.9 must behave as PyTorch's {@code momentum=0.1}: one training step
 * from the initial statistics (mean 0, variance 1) leaves {@code 0.1 x batch statistic + 0.9 x old}.
 */
class BatchNormMomentumTest {

    @BeforeAll
    static void applyEngineSettings() {
        Networks.applyEngineSettings();
    }

    @Test
    void oneTrainingStepMovesTheRunningStatisticsAsPyTorchDoes() {
        try (NDManager manager = Networks.cpuManager()) {
            BatchNorm batchNorm = Layers.batchNorm();
            Shape shape = new Shape(4, 3, 5, 5);
            batchNorm.initialize(manager, DataType.FLOAT32, shape);
            NDArray x = manager.randomNormal(2, 3, shape, DataType.FLOAT32);
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
}
