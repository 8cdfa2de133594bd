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
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.FileTrees;
import io.roentgen.engine.torch.Autocast;
import io.roentgen.engine.torch.ChannelsLast;
import io.roentgen.engine.torch.Precision;
import io.roentgen.models.Classifier;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.models.precision.AgreementCheck;
import io.roentgen.models.precision.PrecisionChoice;
import io.roentgen.training.DataParallelStep;
import io.roentgen.training.WeightedLoss;
import io.roentgen.training.optim.ParameterOptimizer;
import io.roentgen.training.precision.LossScaler;
import io.roentgen.training.run.TrainingConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Training and inference images/s of one architecture on one device, the same work as
 * {@code benchmarks/scripts/train_infer_pytorch.py} does in PyTorch eager: AdamW steps with
 * softmax cross-entropy on random 1-channel images, then inference without gradients at batch 1
 * and at the training batch size. Warm-up steps are excluded; medians of the timed steps.
 * Inference is timed as it is served: the trained network saved as a bundle, loaded back and
 * called through {@link Classifier#predict} (input copy, forward pass, softmax, scores); with a
 * fifth argument {@code block}, the trained block's own forward pass instead (no inference
 * rewrites), for A/B runs.
 *
 * <p>{@code java -cp roentgen.jar:pytorch-native-cpu.jar io.roentgen.benchmarks.training.TrainInferBench ARCH SIZE BATCH STEPS [block]}
 */
public final class TrainInferBench {
    /**
     * Batch-1 calls timed, and calls run before them. A batch-1 pass takes 20 ms, and it gets
     * faster for the first 100-200 calls as the JIT compiles the per-layer Java code: from 19.4 to
     * 16.6 ms median on the Zen 5 VM. Serving runs in that steady state. train_infer_pytorch.py
     * uses the same counts.
     */
    static final int BATCH1_CALLS = 40;
    static final int BATCH1_WARMUP = 200;
    /** Full-batch inference calls timed, at least: 3 one-second DenseNet calls gave no stable median. */
    static final int BATCH_CALLS = 6;
    private static final int WARMUP = 3;

    private TrainInferBench() {}

    private static int warmupCalls(int batch) {
        return batch == 1 ? BATCH1_WARMUP : WARMUP;
    }

    public static void main(String[] args) throws Exception {
        EngineSettings settings = EngineSettings.fromEnvironment().apply();
        String arch = args[0];
        int size = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        boolean rawBlock = args.length > 4 && args[4].equals("block");
        // BENCH_DEVICE=gpu (set by train-infer-vs-pytorch.sh with ROENTGEN_GPU=1): the first GPU
        Device device = "gpu".equals(System.getenv("BENCH_DEVICE")) ? Device.gpu() : Device.cpu();
        // BENCH_PRECISION=bf16|fp16: training steps and inference under libtorch's autocast
        Precision precision = Precision.parse(System.getenv().getOrDefault("BENCH_PRECISION", "fp32"));
        ArchitectureSpec spec = ArchitectureSpec.of(arch, 1, 2).withImageSize(size);
        Block block = Architectures.build(spec);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            block.initialize(manager, DataType.FLOAT32, new Shape(batch, 1, size, size));
            // a reduced precision trains as `roentgen train --precision` does: autocast forward and
            // backward on fp32 master weights, fp16 with the loss scaler
            double train = trainImagesPerSecond(block, manager, List.of(device), 1, size, batch, steps, precision);
            double infer1;
            double inferBatch;
            if (rawBlock) {
                try (Autocast.Scope amp = Autocast.on(device, precision)) {
                    infer1 = blockImagesPerSecond(block, manager, size, 1, BATCH1_CALLS);
                    inferBatch = blockImagesPerSecond(block, manager, size, batch, Math.max(steps, BATCH_CALLS));
                }
            } else {
                try (Classifier classifier = AgreementCheck.apply(bundleOf(block, spec, device), device,
                        new PrecisionChoice(precision, "BENCH_PRECISION"))) {
                    infer1 = classifierImagesPerSecond(classifier, size, 1, BATCH1_CALLS);
                    inferBatch = classifierImagesPerSecond(classifier, size, batch, Math.max(steps, BATCH_CALLS));
                }
            }
            System.out.printf(Locale.ROOT, "{\"engine\":\"roentgen\",\"device\":\"%s\",\"precision\":\"%s\",\"arch\":\"%s\",\"size\":%d,\"batch\":%d,"
                    + "\"threads\":%d,\"inference\":\"%s\",\"trainImagesPerSecond\":%.2f,"
                    + "\"inferBatch1ImagesPerSecond\":%.2f,\"inferBatchImagesPerSecond\":%.2f}%n", device.getDeviceType(), precision.flagName(), arch, size, batch,
                    settings.intraOpThreads(), rawBlock ? "block" : "classifier", train, infer1, inferBatch);
        }
    }

    /** The trained block saved as a bundle and loaded back: what {@code roentgen predict} and the server score with. */
    private static Classifier bundleOf(Block block, ArchitectureSpec spec, Device device) throws Exception {
        Path dir = Files.createTempDirectory("train-infer-bench");
        try {
            Path bundle = ModelBundle.writer().architecture(spec).block(block)
                    .preprocessing(PreprocessingSpec.standard(spec.imageSize(), spec.inChannels()))
                    .labels(List.of("a", "b")).build().writeDirectory(dir.resolve("bundle"));
            return ModelBundle.load(bundle, device);
        } finally {
            FileTrees.delete(dir);
        }
    }

    /** Median images/s of {@code steps} timed AdamW steps (after 2 warm-up steps) on the given devices. */
    public static double trainImagesPerSecond(Block block, NDManager manager, List<Device> devices, int channels,
            int size, int batch, int steps) {
        return trainImagesPerSecond(block, manager, devices, channels, size, batch, steps, Precision.FP32);
    }

    /** As above, the steps in {@code precision} (autocast; fp16 with dynamic loss scaling). */
    public static double trainImagesPerSecond(Block block, NDManager manager, List<Device> devices, int channels,
            int size, int batch, int steps, Precision precision) {
        TrainingConfig config = TrainingConfig.builder().numClasses(2).labelNames(List.of("a", "b")).build();
        WeightedLoss loss = new WeightedLoss(false, 2, null);
        DataParallelStep step = new DataParallelStep(block, devices, loss, 0, precision,
                precision == Precision.FP16 ? new LossScaler() : null);
        double[] seconds = new double[steps];
        try (ParameterOptimizer optimizer = ParameterOptimizer.create(config, manager)) {
            for (int i = -2; i < steps; i++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray images = scope.randomNormal(new Shape(batch, channels, size, size));
                    NDArray labels = loss.normaliseLabels(scope.randomInteger(0, 2, new Shape(batch), DataType.INT32)
                            .toType(DataType.FLOAT32, false), batch);
                    long t0 = System.nanoTime();
                    step.step(images, labels, optimizer, 1e-3f);
                    if (i >= 0) {
                        seconds[i] = (System.nanoTime() - t0) / 1e9;
                    }
                }
            }
        }
        return batch / Stats.median(seconds);
    }

    /** Median images/s of {@link Classifier#predict} on random images (made outside the timing). */
    private static double classifierImagesPerSecond(Classifier classifier, int size, int batch, int calls)
            throws Exception {
        Random random = new Random(1);
        double[] seconds = new double[calls];
        for (int i = -warmupCalls(batch); i < calls; i++) {
            List<FloatImage> images = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                float[] pixels = new float[size * size];
                for (int p = 0; p < pixels.length; p++) {
                    pixels[p] = (float) random.nextGaussian();
                }
                images.add(new FloatImage(pixels, 1, size, size));
            }
            long t0 = System.nanoTime();
            classifier.predict(images);
            if (i >= 0) {
                seconds[i] = (System.nanoTime() - t0) / 1e9;
            }
        }
        return batch / Stats.median(seconds);
    }

    /** Median images/s of the trained block's own forward pass in inference mode (no folding). */
    private static double blockImagesPerSecond(Block block, NDManager manager, int size, int batch, int calls) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            ParameterStore store = new ParameterStore(manager, false);
            UnaryOperator<NDArray> layout = ChannelsLast.forDevice(manager.getDevice());
            double[] seconds = new double[calls];
            for (int i = -warmupCalls(batch); i < calls; i++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray x = scope.randomNormal(new Shape(batch, 1, size, size));
                    long t0 = System.nanoTime();
                    block.forward(store, new NDList(layout.apply(x)), false).singletonOrThrow().toType(DataType.FLOAT32, false).toFloatArray();
                    if (i >= 0) {
                        seconds[i] = (System.nanoTime() - t0) / 1e9;
                    }
                }
            }
            return batch / Stats.median(seconds);
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

}
