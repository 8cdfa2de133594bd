package io.roentgen.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.ChannelsLast;
import io.roentgen.engine.torch.NativeLibrary;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.arch.InferenceBlocks;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every architecture's training step and inference form, with every new CPU tensor filled with
 * NaN ({@link NativeLibrary#junkFill}): a kernel that reads memory it never wrote (libtorch
 * 2.7.1's NCHW convolutions with padded channel blocks do, docs/DECISIONS.md 30) turns the loss,
 * a gradient or a score into NaN on every run. MobileNetV2's 24-channel layers are such a case
 * in NCHW on AVX-512. At 112 x 112 the 1x1 bottlenecks of ResNet-50 and DenseNet-121 run at 7 x 7,
 * where libtorch's channels-last planning divided by zero ({@link ChannelsLast}): the fork dies.
 */
class JunkFillTrainingTest {
    private static final int SIZE = 112;
    private NDManager manager;

    static List<String> architectures() {
        List<String> names = Architectures.names();
        assertTrue(names.size() >= 6, "architectures: " + names);
        return names;
    }

    @BeforeEach
    void junkFillOn() {
        EngineSettings.fromEnvironment().apply();
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        manager.zeros(new Shape(1));
        assertTrue(NativeLibrary.junkFill(true), "libroentgen_torch.so or c10's junk-fill flag is missing");
    }

    @AfterEach
    void junkFillOff() {
        NativeLibrary.junkFill(false);
        manager.close();
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void trainingStepAndInferenceFormStayFinite(String arch) throws RoentgenException {
        Engine.getEngine("PyTorch").setRandomSeed(3);
        Block block = Architectures.build(ArchitectureSpec.of(arch, 1, 2).withImageSize(SIZE));
        block.initialize(manager, DataType.FLOAT32, new Shape(4, 1, SIZE, SIZE));
        WeightedLoss loss = new WeightedLoss(false, 2, null);
        DataParallelStep step = new DataParallelStep(block, List.of(Device.cpu()), loss);
        try (NDManager scope = manager.newSubManager()) {
            NDArray images = scope.randomNormal(new Shape(4, 1, SIZE, SIZE));
            NDArray labels = loss.normaliseLabels(scope.create(new float[] {0, 1, 1, 0}), 4);
            DataParallelStep.Gradients gradients = step.gradients(images, labels);
            assertFalse(Float.isNaN(gradients.meanLoss()) || Float.isInfinite(gradients.meanLoss()), arch + ": loss");
            for (NDArray g : gradients.sums()) {
                assertFalse(nonFinite(g), arch + ": a gradient holds NaN or infinity");
            }
            Block inference = InferenceBlocks.forInference(block, scope);
            NDArray scores = inference.forward(new ParameterStore(scope, false), new NDList(ChannelsLast.forDevice(Device.cpu()).apply(images)), false)
                    .singletonOrThrow();
            assertFalse(nonFinite(scores), arch + ": inference form scores hold NaN or infinity");
        }
    }

    private static boolean nonFinite(NDArray x) {
        return x.isNaN().any().getBoolean() || x.isInfinite().any().getBoolean();
    }
}
