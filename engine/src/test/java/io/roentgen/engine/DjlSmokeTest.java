package io.roentgen.engine;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the PyTorch native library loads offline from the classpath jar and that a small CNN
 * runs forward and backward on the CPU with real, non-zero gradients.
 */
class DjlSmokeTest {

    @Test
    void smallCnnForwardAndBackwardOnCpu() throws Exception {
        EngineSettings.fromEnvironment().apply();
        SequentialBlock net = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8).build())
                .add(Activation::relu)
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(2).build());
        try (Model model = Model.newInstance("smoke", Device.cpu(), "PyTorch")) {
            model.setBlock(net);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
                trainer.initialize(new Shape(4, 1, 16, 16));
                NDManager manager = trainer.getManager();
                NDArray x = manager.randomNormal(new Shape(4, 1, 16, 16));
                NDArray y = manager.create(new float[] {0, 1, 0, 1});
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                    assertEquals(new Shape(4, 2), logits.getShape());
                    NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                    assertTrue(Float.isFinite(loss.getFloat()));
                    collector.backward(loss);
                }
                NDArray grad = net.getChildren().get(0).getValue().getParameters().get("weight").getArray().getGradient();
                assertTrue(grad.abs().sum().getFloat() > 0, "gradients flow back to the first convolution");
                assertEquals("PyTorch", model.getNDManager().getEngine().getEngineName());
            }
        }
    }
}
