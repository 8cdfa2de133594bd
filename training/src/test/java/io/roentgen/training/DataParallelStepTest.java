package io.roentgen.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.roentgen.training.optim.ParameterOptimizer;
import io.roentgen.training.run.TrainingConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sharded step must compute the gradient of the whole batch. Three "devices" that are all the
 * CPU run the multi-device path (replicas, per-shard backward, scaled sum) on a machine without
 * GPUs. The model has no BatchNorm: with it, batch statistics are per shard and would differ.
 */
class DataParallelStepTest {

    @Test
    void shardedGradientsEqualWholeBatchGradients() {
        for (boolean multiLabel : new boolean[] {false, true}) {
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                Block block = initialisedBlock(manager, multiLabel ? 3 : 2);
                NDArray images = manager.randomNormal(new Shape(10, 1, 16, 16));
                NDArray labels = multiLabel ? manager.randomUniform(0, 1, new Shape(10, 3)).gt(0.5).toType(DataType.FLOAT32, false)
                        : manager.create(new long[] {0, 1, 1, 0, 1, 0, 0, 1, 1, 1});
                WeightedLoss loss = multiLabel ? new WeightedLoss(true, 3, new double[] {2.0, 0.5, 1.0})
                        : new WeightedLoss(false, 2, new double[] {0.7, 1.6});
                List<float[]> whole = gradients(block, List.of(Device.cpu()), loss, images, labels);
                // 10 cases on 3 shards: 4 + 3 + 3, so the size weighting matters.
                List<float[]> sharded = gradients(block, Collections.nCopies(3, Device.cpu()), loss, images, labels);
                assertEquals(whole.size(), sharded.size());
                for (int i = 0; i < whole.size(); i++) {
                    assertClose(whole.get(i), sharded.get(i));
                }
                assertTrue(norm(whole.get(0)) > 0, "the first convolution gets a gradient");
            }
        }
    }

    @Test
    void shardedStepUpdatesLikeWholeBatchStep() {
        float[][] afterWhole = parametersAfterSteps(List.of(Device.cpu()));
        float[][] afterSharded = parametersAfterSteps(Collections.nCopies(4, Device.cpu()));
        for (int i = 0; i < afterWhole.length; i++) {
            assertClose(afterWhole[i], afterSharded[i]);
        }
    }

    @Test
    void nativeMemoryStaysFlatAcrossSteps() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block block = initialisedBlock(manager, 2);
            DataParallelStep step = new DataParallelStep(block, Collections.nCopies(2, Device.cpu()),
                    new WeightedLoss(false, 2, new double[] {1, 2}));
            NDArray images = manager.randomNormal(new Shape(6, 1, 16, 16));
            NDArray labels = manager.create(new long[] {0, 1, 1, 0, 1, 0});
            float[] before = block.getParameters().get(0).getValue().getArray().toFloatArray();
            try (ParameterOptimizer optimizer = ParameterOptimizer.create(TrainingConfig.builder().build(), manager)) {
                step.step(images, labels, optimizer, 1e-3f);
                int afterOne = manager.getManagedArrays().size();
                for (int s = 0; s < 5; s++) {
                    step.step(images, labels, optimizer, 1e-3f);
                }
                assertEquals(afterOne, manager.getManagedArrays().size(), "no arrays pile up per step");
            }
            float[] after = block.getParameters().get(0).getValue().getArray().toFloatArray();
            assertTrue(norm(difference(before, after)) > 0, "the step changes the weights");
        }
    }

    private static float[] difference(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static float[][] parametersAfterSteps(List<Device> devices) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block block = initialisedBlock(manager, 2);
            WeightedLoss loss = new WeightedLoss(false, 2, null);
            DataParallelStep step = new DataParallelStep(block, devices, loss);
            TrainingConfig config = TrainingConfig.builder().optimizer(TrainingConfig.OptimizerKind.ADAMW)
                    .weightDecay(0.01).build();
            try (ParameterOptimizer optimizer = ParameterOptimizer.create(config, manager)) {
                Engine.getInstance().setRandomSeed(5);
                for (int s = 0; s < 3; s++) {
                    NDArray images = manager.randomNormal(new Shape(8, 1, 16, 16));
                    NDArray labels = manager.randomUniform(0, 2, new Shape(8)).floor().toType(DataType.INT64, false);
                    step.step(images, labels, optimizer, 1e-2f);
                }
            }
            List<float[]> values = new ArrayList<>();
            for (Parameter p : block.getParameters().values()) {
                values.add(p.getArray().toFloatArray());
            }
            return values.toArray(new float[0][]);
        }
    }

    private static Block initialisedBlock(NDManager manager, int classes) {
        Engine.getInstance().setRandomSeed(11);
        Block block = SyntheticBlobs.tinyCnn(false, classes);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 16, 16));
        return block;
    }

    private static List<float[]> gradients(Block block, List<Device> devices, WeightedLoss loss, NDArray images,
                                           NDArray labels) {
        DataParallelStep step = new DataParallelStep(block, devices, loss);
        List<float[]> result = new ArrayList<>();
        try (NDScope scope = new NDScope()) {
            for (NDArray g : step.gradients(images, labels).sums()) {
                result.add(g.toFloatArray());
            }
            scope.suppressNotUsedWarning();
        }
        return result;
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        double scale = Math.max(1e-3, norm(expected) / Math.sqrt(expected.length));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * scale + 1e-6, "element " + i);
        }
        assertArrayEquals(new int[] {expected.length}, new int[] {actual.length});
    }

    private static double norm(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }
}
