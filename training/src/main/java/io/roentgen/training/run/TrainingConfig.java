package io.roentgen.training.run;

import ai.djl.Device;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.roentgen.engine.torch.Precision;
import io.roentgen.training.precision.LossScaler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Everything that decides how a model is trained, immutable and serialisable with Gson (it is
 * written into every checkpoint, so a resumed run can check it continues the same run).
 *
 * <p>Devices are kept as DJL device names ({@code "cpu"}, {@code "gpu:1"}) so the JSON stays
 * plain; {@link #devices()} turns them into {@link Device}s. The same device may appear more than
 * once: each entry is one data-parallel shard (tests use {@code cpu,cpu,cpu}).
 */
public final class TrainingConfig {

    /** The update rule. ADAM couples weight decay into the gradient (L2); ADAMW decouples it. */
    public enum OptimizerKind { ADAMW, ADAM, SGD }

    /** The learning-rate shape after the linear warm-up. */
    public enum ScheduleKind { COSINE, STEP, CONSTANT }

    /** How classes are weighted in the loss. */
    public enum ClassWeighting { NONE, AUTO, EXPLICIT }

    private final int epochs;
    private final int batchSize;
    private final double learningRate;
    private final OptimizerKind optimizer;
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final double maxGradientNorm;
    private final ScheduleKind schedule;
    private final double warmupEpochs;
    private final int stepEpochs;
    private final double stepGamma;
    private final long seed;
    private final ClassWeighting classWeighting;
    private final double[] explicitClassWeights;
    private final int earlyStopPatience;
    private final List<String> devices;
    private final boolean multiLabel;
    private final int numClasses;
    private final List<String> labelNames;
    private final int loaderWorkers;
    private final int prefetchBatches;
    private final int bootstrapResamples;
    private final String precision;
    private final double initialLossScale;

    private TrainingConfig(Builder b) {
        epochs = b.epochs;
        batchSize = b.batchSize;
        learningRate = b.learningRate;
        optimizer = b.optimizer;
        momentum = b.momentum;
        nesterov = b.nesterov;
        weightDecay = b.weightDecay;
        maxGradientNorm = b.maxGradientNorm;
        schedule = b.schedule;
        warmupEpochs = b.warmupEpochs;
        stepEpochs = b.stepEpochs;
        stepGamma = b.stepGamma;
        seed = b.seed;
        classWeighting = b.classWeighting;
        explicitClassWeights = b.explicitClassWeights == null ? null : b.explicitClassWeights.clone();
        earlyStopPatience = b.earlyStopPatience;
        devices = List.copyOf(b.devices);
        multiLabel = b.multiLabel;
        numClasses = b.numClasses;
        labelNames = List.copyOf(b.labelNames);
        loaderWorkers = b.loaderWorkers;
        prefetchBatches = b.prefetchBatches;
        bootstrapResamples = b.bootstrapResamples;
        precision = b.precision.flagName();
        initialLossScale = b.initialLossScale;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this configuration, to change a few values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.optimizer = optimizer;
        b.momentum = momentum;
        b.nesterov = nesterov;
        b.weightDecay = weightDecay;
        b.maxGradientNorm = maxGradientNorm;
        b.schedule = schedule;
        b.warmupEpochs = warmupEpochs;
        b.stepEpochs = stepEpochs;
        b.stepGamma = stepGamma;
        b.seed = seed;
        b.classWeighting = classWeighting;
        b.explicitClassWeights = explicitClassWeights == null ? null : explicitClassWeights.clone();
        b.earlyStopPatience = earlyStopPatience;
        b.devices = new ArrayList<>(devices);
        b.multiLabel = multiLabel;
        b.numClasses = numClasses;
        b.labelNames = new ArrayList<>(labelNames);
        b.loaderWorkers = loaderWorkers;
        b.prefetchBatches = prefetchBatches;
        b.bootstrapResamples = bootstrapResamples;
        // configurations written before mixed precision lack both fields: they trained in fp32
        b.precision = precision == null ? Precision.FP32 : Precision.parse(precision);
        b.initialLossScale = initialLossScale > 0 ? initialLossScale : LossScaler.INITIAL_SCALE;
        return b;
    }

    public int epochs() { return epochs; }
    public int batchSize() { return batchSize; }
    public double learningRate() { return learningRate; }
    public OptimizerKind optimizer() { return optimizer; }
    /** SGD momentum; ignored by Adam(W). */
    public double momentum() { return momentum; }
    /** SGD: Nesterov momentum (PyTorch's {@code nesterov=True}); ignored by Adam(W). */
    public boolean nesterov() { return nesterov; }
    /**
     * Weight decay (AdamW: decoupled; Adam and SGD: L2 added to the gradient), on weights of rank
     * >= 2 only: biases and batch-norm scales and shifts are never decayed (docs/DECISIONS.md).
     */
    public double weightDecay() { return weightDecay; }
    /**
     * Clip the gradients so that their global 2-norm is at most this (PyTorch's
     * {@code clip_grad_norm_}, before the optimizer); 0 = no clipping.
     */
    public double maxGradientNorm() { return maxGradientNorm; }
    public ScheduleKind schedule() { return schedule; }
    public double warmupEpochs() { return warmupEpochs; }
    /** STEP schedule: multiply the rate by {@link #stepGamma()} every this many epochs. */
    public int stepEpochs() { return stepEpochs; }
    public double stepGamma() { return stepGamma; }
    public long seed() { return seed; }
    public ClassWeighting classWeighting() { return classWeighting; }
    /** The weights for {@link ClassWeighting#EXPLICIT}; a copy, or null. */
    public double[] explicitClassWeights() {
        return explicitClassWeights == null ? null : explicitClassWeights.clone();
    }
    /** Stop after this many epochs without a better validation AUROC; 0 = never stop early. */
    public int earlyStopPatience() { return earlyStopPatience; }
    public List<String> deviceNames() { return devices; }
    public List<Device> devices() {
        return devices.stream().map(TrainingConfig::parseDevice).toList();
    }

    /** DJL's own name form, {@code cpu} or {@code gpu1}; {@code gpu:1} is accepted too. */
    static Device parseDevice(String name) {
        return Device.fromName(name.trim().replace(":", ""));
    }

    static String deviceName(Device device) {
        return device.getDeviceType() + (device.getDeviceId() >= 0 && !"cpu".equals(device.getDeviceType()) ? device.getDeviceId() : "");
    }
    public boolean multiLabel() { return multiLabel; }
    public int numClasses() { return numClasses; }
    public List<String> labelNames() { return labelNames; }
    /** Threads that read samples in parallel. */
    public int loaderWorkers() { return loaderWorkers; }
    /** Batches read ahead of the one being trained on. */
    public int prefetchBatches() { return prefetchBatches; }
    /** Bootstrap resamples for the AUROC confidence interval of the best epoch; 0 = none. */
    public int bootstrapResamples() { return bootstrapResamples; }

    /**
     * The precision of the forward and backward passes (autocast; master weights stay fp32),
     * and of validation.
     */
    public Precision precision() { return Precision.parse(precision); }
    /** fp16: the loss scale of the first step (GradScaler's rule moves it from there). */
    public double initialLossScale() { return initialLossScale; }

    public String toJson() {
        return gson().toJson(this);
    }

    public static TrainingConfig fromJson(String json) {
        TrainingConfig parsed = gson().fromJson(json, TrainingConfig.class);
        return parsed.toBuilder().build(); // validates
    }

    static Gson gson() {
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
    }

    /**
     * Whether a run with {@code other} trains exactly like this one, so a checkpoint of one can be
     * resumed by the other. Loader threads, prefetch depth and bootstrap resamples do not change
     * what is learned and may differ.
     */
    public boolean trainsLike(TrainingConfig other) {
        // The epoch count only says where to stop: a resumed run may train longer or shorter.
        return toBuilder().epochs(1).loaderWorkers(1).prefetchBatches(1).bootstrapResamples(0).build()
                .equals(other.toBuilder().epochs(1).loaderWorkers(1).prefetchBatches(1).bootstrapResamples(0).build());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingConfig other && toJson().equals(other.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Collects values; {@link #build()} checks them. Defaults suit a small chest X-ray run. */
    public static final class Builder {
        private int epochs = 10;
        private int batchSize = 32;
        private double learningRate = 1e-3;
        private OptimizerKind optimizer = OptimizerKind.ADAMW;
        private double momentum = 0.9;
        private boolean nesterov;
        private double weightDecay = 1e-4;
        private double maxGradientNorm;
        private ScheduleKind schedule = ScheduleKind.COSINE;
        private double warmupEpochs = 1;
        private int stepEpochs = 10;
        private double stepGamma = 0.1;
        private long seed = 42;
        private ClassWeighting classWeighting = ClassWeighting.NONE;
        private double[] explicitClassWeights;
        private int earlyStopPatience;
        private List<String> devices = new ArrayList<>(List.of("cpu"));
        private boolean multiLabel;
        private int numClasses = 2;
        private List<String> labelNames = new ArrayList<>();
        private int loaderWorkers = 2;
        private int prefetchBatches = 2;
        private int bootstrapResamples = 1000;
        private Precision precision = Precision.FP32;
        private double initialLossScale = LossScaler.INITIAL_SCALE;

        private Builder() {
        }

        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder optimizer(OptimizerKind v) { optimizer = Objects.requireNonNull(v); return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder nesterov(boolean v) { nesterov = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder maxGradientNorm(double v) { maxGradientNorm = v; return this; }
        public Builder schedule(ScheduleKind v) { schedule = Objects.requireNonNull(v); return this; }
        public Builder warmupEpochs(double v) { warmupEpochs = v; return this; }
        public Builder stepEpochs(int v) { stepEpochs = v; return this; }
        public Builder stepGamma(double v) { stepGamma = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder classWeighting(ClassWeighting v) { classWeighting = Objects.requireNonNull(v); return this; }
        /** Sets {@link ClassWeighting#EXPLICIT} with these weights (multi-label: positive weights). */
        public Builder explicitClassWeights(double... v) {
            explicitClassWeights = v.clone();
            classWeighting = ClassWeighting.EXPLICIT;
            return this;
        }
        public Builder earlyStopPatience(int v) { earlyStopPatience = v; return this; }
        public Builder devices(List<Device> v) {
            devices = new ArrayList<>(v.stream().map(TrainingConfig::deviceName).toList());
            return this;
        }
        public Builder devices(Device... v) { return devices(Arrays.asList(v)); }
        public Builder deviceNames(List<String> v) { devices = new ArrayList<>(v); return this; }
        public Builder multiLabel(boolean v) { multiLabel = v; return this; }
        public Builder numClasses(int v) { numClasses = v; return this; }
        public Builder labelNames(List<String> v) { labelNames = new ArrayList<>(v); return this; }
        public Builder loaderWorkers(int v) { loaderWorkers = v; return this; }
        public Builder prefetchBatches(int v) { prefetchBatches = v; return this; }
        public Builder bootstrapResamples(int v) { bootstrapResamples = v; return this; }
        public Builder precision(Precision v) { precision = Objects.requireNonNull(v); return this; }
        public Builder initialLossScale(double v) { initialLossScale = v; return this; }

        public TrainingConfig build() {
            require(epochs >= 1, "epochs must be >= 1, got " + epochs);
            require(batchSize >= 1, "batchSize must be >= 1, got " + batchSize);
            require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be > 0");
            require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1)");
            require(weightDecay >= 0, "weightDecay must be >= 0");
            require(maxGradientNorm >= 0 && Double.isFinite(maxGradientNorm), "maxGradientNorm must be >= 0 (0: no clipping)");
            require(!nesterov || momentum > 0, "nesterov needs a momentum > 0");
            require(warmupEpochs >= 0, "warmupEpochs must be >= 0");
            require(stepEpochs >= 1, "stepEpochs must be >= 1");
            require(stepGamma > 0, "stepGamma must be > 0");
            require(earlyStopPatience >= 0, "earlyStopPatience must be >= 0");
            require(!devices.isEmpty(), "at least one device is needed");
            require(numClasses >= (multiLabel ? 1 : 2),
                    "numClasses must be >= " + (multiLabel ? 1 : 2) + ", got " + numClasses);
            if (labelNames.isEmpty()) {
                for (int c = 0; c < numClasses; c++) {
                    labelNames.add("class" + c);
                }
            }
            require(labelNames.size() == numClasses, "labelNames has " + labelNames.size()
                    + " names for " + numClasses + " classes");
            if (classWeighting == ClassWeighting.EXPLICIT) {
                require(explicitClassWeights != null && explicitClassWeights.length == numClasses,
                        "explicit class weights need one weight per class (" + numClasses + ")");
                for (double w : explicitClassWeights) {
                    require(w > 0 && Double.isFinite(w), "class weights must be > 0");
                }
            }
            require(loaderWorkers >= 1, "loaderWorkers must be >= 1");
            require(prefetchBatches >= 1, "prefetchBatches must be >= 1");
            require(bootstrapResamples >= 0, "bootstrapResamples must be >= 0");
            require(initialLossScale > 0 && initialLossScale <= Float.MAX_VALUE, "initialLossScale must be > 0 and a finite float");
            return new TrainingConfig(this);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException("training config: " + message);
            }
        }
    }
}
