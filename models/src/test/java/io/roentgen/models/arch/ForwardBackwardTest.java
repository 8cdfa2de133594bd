package io.roentgen.models.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.roentgen.engine.RoentgenException;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardBackwardTest {

    @BeforeAll
    static void applyEngineSettings() {
        Networks.applyEngineSettings();
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "resnet18", "resnet34", "resnet50", "densenet121", "mobilenet_v2"})
    void oneChannelBatchOfTwoGivesOneLogitPerClass(String name) throws RoentgenException {
        try (NDManager manager = Networks.cpuManager()) {
            Block network = Networks.initialized(manager, name, 1, 3, 64);
            NDArray x = manager.randomNormal(new Shape(2, 1, 64, 64));
            for (boolean training : new boolean[] {false, true}) {
                NDArray logits = network.forward(new ParameterStore(manager, false), new NDList(x), training)
                        .singletonOrThrow();
                assertEquals(new Shape(2, 3), logits.getShape(), name + (training ? " training" : " inference"));
                assertTrue(logits.isInfinite().logicalOr(logits.isNaN()).none().getBoolean(), name + " finite");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "resnet18"})
    void threeChannelsAtAnotherSize(String name) throws RoentgenException {
        try (NDManager manager = Networks.cpuManager()) {
            Block network = Networks.initialized(manager, name, 3, 5, 48);
            NDArray logits = network.forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(new Shape(2, 3, 48, 48))), false).singletonOrThrow();
            assertEquals(new Shape(2, 5), logits.getShape());
        }
    }

    /** A training step reaches every trainable parameter, the stem and the classifier included. */
    @ParameterizedTest
    @ValueSource(strings = {"small", "resnet18"})
    void backwardGivesNonZeroGradients(String name) throws RoentgenException {
        Block network = Architectures.build(ArchitectureSpec.of(name, 1, 2).withImageSize(32));
        try (Model model = Model.newInstance(name, Device.cpu(), "PyTorch")) {
            model.setBlock(network);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
                trainer.initialize(new Shape(4, 1, 32, 32));
                NDManager manager = trainer.getManager();
                NDArray x = manager.randomNormal(new Shape(4, 1, 32, 32));
                NDArray y = manager.create(new float[] {0, 1, 1, 0});
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                    NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                    assertTrue(Float.isFinite(loss.getFloat()));
                    collector.backward(loss);
                }
                int withGradient = 0;
                for (Map.Entry<String, Parameter> entry : TorchvisionNames.of(network).entrySet()) {
                    Parameter parameter = entry.getValue();
                    if (parameter.requiresGradient()) {
                        float gradient = parameter.getArray().getGradient().abs().sum().getFloat();
                        assertTrue(gradient > 0, name + " " + entry.getKey() + " has a zero gradient");
                        withGradient++;
                    }
                }
                assertTrue(withGradient >= 10, name + ": " + withGradient);
            }
        }
    }
}
