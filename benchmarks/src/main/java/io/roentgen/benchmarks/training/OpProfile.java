package io.roentgen.benchmarks.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.roentgen.benchmarks.Stats;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.torch.ChannelsLast;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.arch.InferenceBlocks;
import io.roentgen.training.DataParallelStep;
import io.roentgen.training.WeightedLoss;
import io.roentgen.training.optim.ParameterOptimizer;
import io.roentgen.training.run.TrainingConfig;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * libtorch's autograd profiler around a few inference calls or training steps of one
 * architecture, written as a Chrome trace for {@code benchmarks/scripts/op_profile_summary.py}, to
 * compare per-op times with {@code train_infer_pytorch.py --profile}.
 *
 * <p>{@code java -cp roentgen.jar:pytorch-native-cpu.jar io.roentgen.benchmarks.training.OpProfile ARCH infer|infer-block|train BATCH CALLS OUT.json}
 * (infer: the inference form a loaded bundle scores with; infer-block: the trained block as it is),
 * {@code OpProfile ARCH ab BATCH ROUNDS} for a block-vs-inference-form timing, or
 * {@code OpProfile ARCH train-time BATCH STEPS} for the median training step
 */
public final class OpProfile {
    private OpProfile() {}

    public static void main(String[] args) throws Exception {
        EngineSettings.fromEnvironment().apply();
        String arch = args[0];
        if (args[1].equals("ab")) {
            abInference(arch, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        if (args[1].equals("train-time")) {
            trainTime(arch, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        boolean train = args[1].equals("train");
        boolean inferenceForm = args[1].equals("infer");
        int batch = Integer.parseInt(args[2]);
        int calls = Integer.parseInt(args[3]);
        String out = args[4];
        Block block = Architectures.build(ArchitectureSpec.of(arch, 1, 2).withImageSize(224));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            block.initialize(manager, DataType.FLOAT32, new Shape(batch, 1, 224, 224));
            Runnable call = train ? trainStep(block, manager, batch)
                    : inferCall(inferenceForm ? InferenceBlocks.forInference(block, manager) : block,
                            ChannelsLast.forDevice(Device.cpu()), manager, batch);
            for (int i = 0; i < 2; i++) {
                call.run();
            }
            JniUtils.startProfile(false, false, false);
            for (int i = 0; i < calls; i++) {
                call.run();
            }
            JniUtils.stopProfile(out);
        }
    }

    /**
     * Inference A/B in one process: the trained block against its {@link InferenceBlocks} form,
     * alternating call by call; prints the median ms of each.
     */
    private static void abInference(String arch, int batch, int rounds) throws Exception {
        Block block = Architectures.build(ArchitectureSpec.of(arch, 1, 2).withImageSize(224));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            block.initialize(manager, DataType.FLOAT32, new Shape(batch, 1, 224, 224));
            UnaryOperator<NDArray> layout = ChannelsLast.forDevice(Device.cpu());
            Runnable plain = inferCall(block, layout, manager, batch);
            Runnable folded = inferCall(InferenceBlocks.forInference(block, manager), layout, manager, batch);
            double[] a = new double[rounds];
            double[] b = new double[rounds];
            double[] ca = new double[rounds];
            double[] cb = new double[rounds];
            for (int i = -2; i < rounds; i++) {
                double c0 = processCpuMs();
                double ta = time(plain);
                double c1 = processCpuMs();
                double tb = time(folded);
                double c2 = processCpuMs();
                if (i >= 0) {
                    a[i] = ta;
                    b[i] = tb;
                    ca[i] = c1 - c0;
                    cb[i] = c2 - c1;
                }
            }
            System.out.printf(java.util.Locale.ROOT, "%s batch %d: block %.1f ms (%.1f CPU), inference form %.1f ms "
                    + "(%.1f CPU), ratio %.3f (CPU %.3f)%n", arch, batch, Stats.median(a), Stats.median(ca),
                    Stats.median(b), Stats.median(cb), Stats.median(a) / Stats.median(b),
                    Stats.median(ca) / Stats.median(cb));
        }
    }

    /** Median ms of {@code steps} training steps (after 2 warm-up steps), printed. */
    private static void trainTime(String arch, int batch, int steps) throws Exception {
        Block block = Architectures.build(ArchitectureSpec.of(arch, 1, 2).withImageSize(224));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            block.initialize(manager, DataType.FLOAT32, new Shape(batch, 1, 224, 224));
            Runnable step = trainStep(block, manager, batch);
            double[] ms = new double[steps];
            double[] cpu = new double[steps];
            for (int i = -2; i < steps; i++) {
                double c0 = processCpuMs();
                double t = time(step);
                if (i >= 0) {
                    ms[i] = t;
                    cpu[i] = processCpuMs() - c0;
                }
            }
            System.out.printf(java.util.Locale.ROOT, "%s train batch %d: %.1f ms per step, %.1f ms CPU%n", arch, batch,
                    Stats.median(ms), Stats.median(cpu));
        }
    }

    /** CPU time of the whole process (libtorch's worker threads included), in ms. */
    private static double processCpuMs() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e6;
    }

    private static double time(Runnable call) {
        long t0 = System.nanoTime();
        call.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static Runnable inferCall(Block block, UnaryOperator<NDArray> layout, NDManager manager, int batch) {
        return () -> {
            JniUtils.setGradMode(false);
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.randomNormal(new Shape(batch, 1, 224, 224));
                block.forward(new ParameterStore(scope, false), new NDList(layout.apply(x)), false).singletonOrThrow().toFloatArray();
            } finally {
                JniUtils.setGradMode(true);
            }
        };
    }

    private static Runnable trainStep(Block block, NDManager manager, int batch) {
        TrainingConfig config = TrainingConfig.builder().numClasses(2).labelNames(List.of("a", "b")).build();
        WeightedLoss loss = new WeightedLoss(false, 2, null);
        DataParallelStep step = new DataParallelStep(block, List.of(Device.cpu()), loss);
        ParameterOptimizer optimizer = ParameterOptimizer.create(config, manager);
        return () -> {
            try (NDManager scope = manager.newSubManager()) {
                NDArray images = scope.randomNormal(new Shape(batch, 1, 224, 224));
                NDArray labels = loss.normaliseLabels(scope.randomInteger(0, 2, new Shape(batch), DataType.INT32)
                        .toType(DataType.FLOAT32, false), batch);
                step.step(images, labels, optimizer, 1e-3f);
            }
        };
    }
}
