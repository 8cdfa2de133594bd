package io.roentgen.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.torch.Precision;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.training.optim.ParameterOptimizer;
import io.roentgen.training.precision.LossScaler;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mixed-precision training steps on the small network: bf16 autocast, fp16 loss scaling with a forced overflow. */
class MixedPrecisionStepTest {
    private static final int SIZE = 32;
    private static final int BATCH = 8;

    @BeforeAll
    static void loadEngine() {
        EngineSettings.fromEnvironment().apply();
    }

    @Test
    void aBf16StepTrainsFp32MasterWeightsWithALossCloseToFp32() throws Exception {
        float fp32 = firstStepLoss(Precision.FP32, new LossScaler());
        float bf16 = firstStepLoss(Precision.BF16, new LossScaler());
        assertNotEquals(fp32, bf16, "bf16 really computed");
        assertEquals(fp32, bf16, 0.05f, "bf16 rounding only");
    }

    @Test
    void anFp16OverflowSkipsTheStepAndHalvesTheScale() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Setup s = setup(manager);
            // 1e38 times the loss overflows float: every gradient is inf or NaN
            LossScaler scaler = new LossScaler(new LossScaler.State(1e38f, 0), 1);
            MixedPrecisionStep step = new MixedPrecisionStep(s.step, Device.cpu(), Precision.FP16, scaler);
            float[] before = s.firstWeight().toFloatArray();
            float loss = step.step(s.images, s.labels, s.optimizer, 1e-2f);
            assertTrue(Float.isFinite(loss), "the reported loss is unscaled");
            assertArrayEquals(before, s.firstWeight().toFloatArray(), "the step was skipped");
            assertEquals(5e37f, scaler.scale());
            assertEquals(1, step.skippedSteps());
        }
    }

    @Test
    void aGoodFp16StepUpdatesTheWeightsAndGrowsTheScale() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Setup s = setup(manager);
            LossScaler scaler = new LossScaler(new LossScaler.State(1024f, 0), 1);
            MixedPrecisionStep step = new MixedPrecisionStep(s.step, Device.cpu(), Precision.FP16, scaler);
            float[] before = s.firstWeight().toFloatArray();
            step.step(s.images, s.labels, s.optimizer, 1e-2f);
            float[] after = s.firstWeight().toFloatArray();
            assertFalse(java.util.Arrays.equals(before, after), "the step was taken");
            for (float v : after) {
                assertTrue(Float.isFinite(v));
            }
            assertEquals(DataType.FLOAT32, s.firstWeight().getDataType(), "master weights stay fp32");
            assertEquals(new LossScaler.State(2048f, 0), step.scalerState());
            assertEquals(0, step.skippedSteps());
        }
    }

    private float firstStepLoss(Precision precision, LossScaler scaler) throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Setup s = setup(manager);
            float loss = new MixedPrecisionStep(s.step, Device.cpu(), precision, scaler).step(s.images, s.labels, s.optimizer, 1e-2f);
            assertEquals(DataType.FLOAT32, s.firstWeight().getDataType());
            return loss;
        }
    }

    private record Setup(DataParallelStep step, ParameterOptimizer optimizer, NDArray images, NDArray labels, Parameter weight) {
        NDArray firstWeight() {
            return weight.getArray();
        }
    }

    private static Setup setup(NDManager manager) throws Exception {
        Engine.getInstance().setRandomSeed(3);
        ArchitectureSpec spec = ArchitectureSpec.of("small", 1, 2).withImageSize(SIZE);
        Block block = Architectures.build(spec);
        block.initialize(manager, DataType.FLOAT32, new Shape(BATCH, 1, SIZE, SIZE));
        WeightedLoss loss = new WeightedLoss(false, 2, null);
        DataParallelStep step = new DataParallelStep(block, List.of(Device.cpu()), loss);
        TrainingConfig config = TrainingConfig.builder().numClasses(2).labelNames(List.of("a", "b")).build();
        ParameterOptimizer optimizer = ParameterOptimizer.create(config, manager);
        NDArray images = manager.randomNormal(new Shape(BATCH, 1, SIZE, SIZE));
        NDArray labels = loss.normaliseLabels(manager.create(new float[] {0, 1, 0, 1, 1, 0, 1, 0}), BATCH);
        return new Setup(step, optimizer, images, labels, step.trainableParameters().get(0));
    }
}
