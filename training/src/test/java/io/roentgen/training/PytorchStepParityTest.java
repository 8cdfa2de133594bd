package io.roentgen.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.arch.TorchvisionNames;
import io.roentgen.training.optim.ParameterOptimizer;
import io.roentgen.training.run.TrainingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training steps in train mode give what PyTorch's give: real PyTorch (Debian's python3-torch and
 * python3-torchvision for /usr/bin/python3, script {@code pytorch_step_parity.py}) trains the same
 * networks from the same weights (loaded by torchvision name, {@link TorchvisionNames}) on the
 * same batches with the same hyperparameters, and writes every tensor out; Roentgen's own
 * {@link DataParallelStep}, optimizers and {@link LearningRateSchedule} repeat the steps.
 *
 * <p>Compared, per architecture (small, resnet18, mobilenet_v2, densenet121 at 32 px, batch 8):
 * <ul>
 *   <li>Step 1 with AdamW, Adam with L2 decay, class-weighted SGD + momentum, and class-weighted
 *       SGD + Nesterov with gradient clipping ({@code clip_grad_norm_} at half the gradient norm),
 *       all with weight decay on weights of rank >= 2 only: the loss; for AdamW and SGD + momentum
 *       every parameter's gradient and the change of every weight and running statistic.
 *   <li>For small and resnet18 ({@link #MULTI_STEP}): the whole network after steps 1 and 2 (which
 *       the optimizer's moments after step 1 decide), and 20 steps with warm-up + cosine (AdamW)
 *       and warm-up + step decay (SGD Nesterov, clipped): every learning rate and every loss.
 *   <li>The schedules, value by value, against {@code lr_scheduler}.
 *   <li>Step 1 in float64 on both sides: every gradient, to float64 precision.
 * </ul>
 * How each kind is measured and bounded is in {@link Comparison} and docs/DECISIONS.md 52.
 * Tensors are compared by norm-relative error, ||ours - theirs|| / ||theirs|| per tensor (an
 * element-wise relative error is meaningless for elements that are float32 rounding noise around
 * zero). Weights and running statistics are compared by their change from the initial values, so
 * that the update itself, not the much larger weights, sets the scale. MobileNetV2's classifier
 * dropout is replaced by the identity on both sides: the engines draw different random masks.
 * Roentgen offers no label smoothing, so there is none to compare.
 */
class PytorchStepParityTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String[] ARCHITECTURES = {"small", "resnet18", "mobilenet_v2", "densenet121"};
    /** The bound for gradients in float32, and for the loss and the updates. */
    private static final double RELATIVE_TOLERANCE = 1e-4;
    private static final double CURVE_TOLERANCE = 1e-3;
    /** Float64 against float64 references stored as float32 (6e-8 of rounding each). */
    private static final double FLOAT64_TOLERANCE = 1e-6;
    /**
     * Adam's first update is about lr * sign(g): where |g| is near its epsilon (1e-8), float32
     * rounding in g moves the update by a good part of lr, so Adam(W) weight changes are compared
     * more loosely than SGD's (which are linear in the gradient).
     */
    private static final double ADAM_TOLERANCE = 1e-2;
    /**
     * Where step 2, the whole-network checks and the 20-step curves run (see the script's
     * MULTI_STEP_ARCHITECTURES). Measured and left open for the other two (2026-12-06, this
     * machine): after step 2 MobileNetV2's weight changes differ from PyTorch's by 95-420 % and
     * DenseNet-121's by 16-45 % (network norm), and their AdamW curves part by 0.04 (step 6) and
     * 0.008 (step 7); PyTorch's own float32 and float64 MobileNetV2 curves part by 0.01 after 2 steps.
     */
    private static final Set<String> MULTI_STEP = Set.of("small", "resnet18");
    private static final double NETWORK_SGD_TOLERANCE = 1e-3;
    /** Measured: 0.5 % (small), 2.2 % (resnet18) after Adam(W) step 2, the lr * sign(g) effect again. */
    private static final double NETWORK_ADAM_TOLERANCE = 5e-2;

    @TempDir
    static Path exported;

    @BeforeAll
    @Timeout(value = 9, unit = TimeUnit.MINUTES) // above the script's own 8-minute limit: single-threaded PyTorch on a busy machine
    static void runPytorch() throws IOException, InterruptedException, URISyntaxException {
        EngineSettings.fromEnvironment().apply();
        Path script = Path.of(PytorchStepParityTest.class.getResource("pytorch_step_parity.py").toURI());
        List<String> command = new ArrayList<>(List.of(PYTHON, "-W", "ignore", script.toString(), exported.toString()));
        command.addAll(List.of(ARCHITECTURES));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(8, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("PyTorch script timed out:\n" + output);
        }
        assertEquals(0, process.exitValue(), "PyTorch script failed:\n" + output);
    }

    @Test
    void learningRateSchedulesAreTorchLrSchedulerValues() throws IOException {
        JsonArray schedules = new Gson().fromJson(Files.readString(exported.resolve("schedules.json")), JsonArray.class);
        for (JsonElement element : schedules) {
            JsonObject spec = element.getAsJsonObject();
            LearningRateSchedule schedule = schedule(spec, spec.get("base").getAsDouble());
            JsonArray rates = spec.getAsJsonArray("rates");
            for (int step = 0; step < rates.size(); step++) {
                double expected = rates.get(step).getAsDouble();
                assertEquals(expected, schedule.rate(step), 1e-6 * spec.get("base").getAsDouble(),
                        "step " + step + " of " + spec);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "resnet18", "mobilenet_v2", "densenet121"})
    void firstStepsEqualPytorch(String arch) throws IOException, RoentgenException {
        Export export = new Export(exported.resolve(arch));
        Comparison comparison = new Comparison(arch);
        for (JsonElement element : export.index.getAsJsonArray("cases")) {
            JsonObject step = element.getAsJsonObject();
            String name = step.get("name").getAsString();
            boolean adam = step.get("optimizer").getAsString().startsWith("adam");
            try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                 ParameterOptimizer optimizer = ParameterOptimizer.create(config(step).build(), manager)) {
                Network network = export.network(manager);
                DataParallelStep trainer = trainer(network, step);
                float lr = step.get("lr").getAsFloat();
                float loss = trainer.step(export.images(manager, 0), export.labels(manager, 0), optimizer, lr);
                assertEquals(step.get("loss").getAsDouble(), loss, RELATIVE_TOLERANCE * loss, arch + " " + name + " loss");
                if (step.has("gradients")) {
                    comparison.gradients(export, network.parameters(), step, name);
                    comparison.changes(export, network.parameters(), step.getAsJsonObject("after_step"), adam,
                            name + " after step 1");
                    if (MULTI_STEP.contains(arch)) {
                        comparison.networkChange(export, network.parameters(), step.getAsJsonObject("after_step"), adam,
                                name + " after step 1");
                    }
                }
                if (step.has("after_two_steps")) {
                    trainer.step(export.images(manager, 1), export.labels(manager, 1), optimizer, lr);
                    comparison.networkChange(export, network.parameters(), step.getAsJsonObject("after_two_steps"), adam,
                            name + " after step 2");
                }
            }
        }
        comparison.assertAllWithinTolerance();
    }

    /**
     * The same first step in float64 on both sides gives the same gradients to float64 precision
     * (measured: 1.2e-8 for DenseNet-121, against references stored as float32): Roentgen's
     * blocks compute PyTorch's function and its gradient exactly, whatever float32 rounding makes
     * of them (the float32 checks above must allow for that in ill-conditioned stages).
     */
    @ParameterizedTest
    @ValueSource(strings = {"small", "resnet18", "mobilenet_v2", "densenet121"})
    void float64GradientsEqualPytorchFloat64(String arch) throws IOException, RoentgenException {
        Export export = new Export(exported.resolve(arch));
        List<String> failures = new ArrayList<>();
        double worst = 0;
        for (JsonElement element : export.index.getAsJsonArray("cases")) {
            JsonObject step = element.getAsJsonObject();
            if (!step.has("gradients_float64")) {
                continue;
            }
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                Network network = export.network(manager, DataType.FLOAT64);
                trainer(network, step).gradients(export.imagesFloat64(manager, 0), export.labels(manager, 0));
                worst = Math.max(worst, compareFloat64(export, network, step, failures));
            }
        }
        System.out.println(arch + " float64 gradients, worst error / bound: " + worst);
        assertTrue(failures.isEmpty(), failures.size() + " tensors off:\n" + String.join("\n", failures));
    }

    /** Adds a failure per gradient off the float64 reference; returns the worst error / bound. */
    private static double compareFloat64(Export export, Network network, JsonObject step, List<String> failures)
            throws IOException {
        JsonObject exact = step.getAsJsonObject("gradients_float64");
        Map<String, float[]> references = new HashMap<>();
        double largest = 0;
        for (String key : exact.keySet()) {
            references.put(key, export.floats(exact.getAsJsonObject(key)));
            largest = Math.max(largest, norm(references.get(key)));
        }
        double worst = 0;
        for (String key : exact.keySet()) {
            float[] ours = network.parameters().get(key).getArray().getGradient()
                    .toType(DataType.FLOAT32, false).toFloatArray();
            float[] reference = references.get(key);
            double bound = FLOAT64_TOLERANCE * norm(reference) + 1e-9 * largest; // floor: exact zeros
            double error = distance(reference, ours);
            worst = Math.max(worst, error / bound);
            if (!(error <= bound)) {
                failures.add(String.format(Locale.ROOT, "%s float64 gradient of %s: error %.3g > bound %.3g",
                        step.get("name").getAsString(), key, error, bound));
            }
        }
        return worst;
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "resnet18"})
    void twentyStepLossCurvesEqualPytorch(String arch) throws IOException, RoentgenException {
        Export export = new Export(exported.resolve(arch));
        for (JsonElement element : export.index.getAsJsonArray("curves")) {
            JsonObject curve = element.getAsJsonObject();
            String name = arch + " " + curve.get("name").getAsString();
            LearningRateSchedule schedule = schedule(curve.getAsJsonObject("schedule"), curve.get("lr").getAsDouble());
            JsonArray losses = curve.getAsJsonArray("losses");
            JsonArray exactLosses = curve.getAsJsonArray("losses_float64");
            JsonArray rates = curve.getAsJsonArray("rates");
            try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                 ParameterOptimizer optimizer = ParameterOptimizer.create(config(curve).build(), manager)) {
                DataParallelStep trainer = trainer(export.network(manager), curve);
                for (int step = 0; step < losses.size(); step++) {
                    double rate = schedule.rate(step);
                    assertEquals(rates.get(step).getAsDouble(), rate, 1e-6 * curve.get("lr").getAsDouble(),
                            name + " learning rate of step " + step);
                    float loss = trainer.step(export.images(manager, step), export.labels(manager, step),
                            optimizer, (float) rate);
                    double pytorchDeparture = Math.abs(losses.get(step).getAsDouble() - exactLosses.get(step).getAsDouble());
                    assertEquals(losses.get(step).getAsDouble(), loss, CURVE_TOLERANCE + 2 * pytorchDeparture,
                            name + " loss of step " + step);
                }
            }
        }
    }

    private static DataParallelStep trainer(Network network, JsonObject step) {
        WeightedLoss loss = new WeightedLoss(false, 2, classWeights(step));
        return new DataParallelStep(network.block(), List.of(Device.cpu()), loss, step.get("max_grad_norm").getAsDouble());
    }

    /** A network and its parameters by torchvision name. */
    private record Network(Block block, Map<String, Parameter> parameters) {
    }

    private static double[] classWeights(JsonObject step) {
        JsonElement weights = step.get("class_weights");
        return weights == null || weights.isJsonNull() ? null : new Gson().fromJson(weights, double[].class);
    }

    private static TrainingConfig.Builder config(JsonObject step) {
        TrainingConfig.Builder config = TrainingConfig.builder()
                .optimizer(TrainingConfig.OptimizerKind.valueOf(step.get("optimizer").getAsString().toUpperCase(Locale.ROOT)))
                .learningRate(step.get("lr").getAsDouble())
                .momentum(step.get("momentum").getAsDouble())
                .nesterov(step.get("nesterov").getAsBoolean())
                .weightDecay(step.get("weight_decay").getAsDouble())
                .maxGradientNorm(step.get("max_grad_norm").getAsDouble());
        double[] weights = classWeights(step);
        return weights == null ? config : config.explicitClassWeights(weights);
    }

    private static LearningRateSchedule schedule(JsonObject spec, double base) {
        TrainingConfig config = TrainingConfig.builder()
                .learningRate(base)
                .epochs(spec.get("epochs").getAsInt())
                .warmupEpochs(spec.get("warmup_epochs").getAsDouble())
                .schedule(TrainingConfig.ScheduleKind.valueOf(spec.get("kind").getAsString().toUpperCase(Locale.ROOT)))
                .stepEpochs(spec.get("step_epochs").getAsInt())
                .stepGamma(spec.get("gamma").getAsDouble())
                .build();
        return new LearningRateSchedule(config, spec.get("steps_per_epoch").getAsInt());
    }

    /** One architecture's exported tensors. */
    private static final class Export {
        private final Path directory;
        private final JsonObject index;
        private final int size;

        Export(Path directory) throws IOException {
            this.directory = directory;
            this.index = new Gson().fromJson(Files.readString(directory.resolve("index.json")), JsonObject.class);
            this.size = index.get("image_size").getAsInt();
        }

        /** The network with PyTorch's initial weights. */
        Network network(NDManager manager) throws IOException, RoentgenException {
            return network(manager, DataType.FLOAT32);
        }

        /** The network with PyTorch's initial weights, in float32 or float64. */
        Network network(NDManager manager, DataType type) throws IOException, RoentgenException {
            String arch = directory.getFileName().toString();
            Block network = Architectures.build(new ArchitectureSpec(arch, 1, 2, size, false));
            if (arch.equals("mobilenet_v2")) {
                replaceClassifierDropout(network);
            }
            network.initialize(manager, type, new Shape(1, 1, size, size));
            Map<String, Parameter> parameters = TorchvisionNames.of(network);
            JsonObject initial = index.getAsJsonObject("initial");
            assertEquals(initial.keySet(), parameters.keySet(), "every tensor has a counterpart");
            for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
                float[] values = floats(initial.getAsJsonObject(entry.getKey()));
                if (type == DataType.FLOAT64) {
                    entry.getValue().getArray().set(DoubleBuffer.wrap(doubles(values)));
                } else {
                    entry.getValue().getArray().set(values);
                }
            }
            return new Network(network, parameters);
        }

        NDArray images(NDManager manager, int batch) throws IOException {
            JsonObject tensor = index.getAsJsonArray("batches").get(batch).getAsJsonObject().getAsJsonObject("images");
            return manager.create(floats(tensor), new Shape(new Gson().fromJson(tensor.get("shape"), long[].class)));
        }

        NDArray imagesFloat64(NDManager manager, int batch) throws IOException {
            JsonObject tensor = index.getAsJsonArray("batches").get(batch).getAsJsonObject().getAsJsonObject("images");
            return manager.create(doubles(floats(tensor)), new Shape(new Gson().fromJson(tensor.get("shape"), long[].class)));
        }

        NDArray labels(NDManager manager, int batch) {
            JsonArray labels = index.getAsJsonArray("batches").get(batch).getAsJsonObject().getAsJsonArray("labels");
            return manager.create(new Gson().fromJson(labels, long[].class));
        }

        float[] floats(JsonObject tensor) throws IOException {
            byte[] bytes = Files.readAllBytes(directory.resolve(tensor.get("file").getAsString()));
            float[] values = new float[bytes.length / Float.BYTES];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        }
    }

    /** torchvision's MobileNetV2 classifier is (Dropout, Linear): keep the Linear at index 1. */
    private static void replaceClassifierDropout(Block mobilenet) {
        SequentialBlock classifier = null;
        for (Pair<String, Block> child : mobilenet.getChildren()) {
            if (child.getKey().endsWith("classifier")) {
                classifier = (SequentialBlock) child.getValue();
            }
        }
        Block linear = classifier.getChildren().get(1).getValue();
        classifier.removeLastBlock();
        classifier.replaceLastBlock(new LambdaBlock(inputs -> inputs));
        classifier.add(linear);
    }

    private static double[] doubles(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    private static double normRelative(float[] expected, float[] actual) {
        return distance(expected, actual) / Math.max(norm(expected), 1e-30);
    }

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.pow((double) a[i] - b[i], 2);
        }
        return Math.sqrt(sum);
    }

    private static double norm(float[] a) {
        return distance(a, new float[a.length]);
    }

    /**
     * The per-tensor checks of one architecture: every failure is collected (so that one run shows
     * all of them), and the worst error-to-tolerance ratio of each kind is printed.
     *
     * <p>Gradients are measured against PyTorch's float64 gradients: a tensor passes within 1e-4
     * of the float64 norm, or, where PyTorch's own float32 gradient is further off than that (an
     * ill-conditioned stage), within 4 times PyTorch's worst float32 error in the tensor's stage
     * ({@link #stage}: a dense block, a ResNet layer, a MobileNetV2 block), over its NCHW and its
     * channels-last run (Roentgen's layout). One float32 run is one sample of the rounding, and
     * which tensors of a stage catch it depends on the kernels: DenseNet-121 at 32 px amplifies it
     * so much that PyTorch's NCHW gradients land up to 3e-3 from float64 (dense block 1) and its
     * channels-last ones up to 3e-2 (blocks 1-3), and Roentgen's with two threads 6e-3 on tensors
     * of block 3 where both PyTorch runs are within 5e-5 (docs/DECISIONS.md 52). That the
     * function and gradient are PyTorch's is held exactly in float64
     * ({@link #float64GradientsEqualPytorchFloat64}); plus an absolute floor of
     * 1e-6 of the largest gradient norm, for tensors whose exact gradient is 0 (a bias followed by
     * a train-mode batch norm, which removes any shift: float32 leaves rounding noise there).
     * Changes of weights and running statistics are compared with PyTorch's float32 changes: SGD
     * within twice the gradient tolerance of the tensor (both sides' gradient errors), Adam(W)
     * within {@link #ADAM_TOLERANCE}; plus a floor of 1e-3 of the largest change.
     */
    private static final class Comparison {
        private final String arch;
        private final Map<String, Double> gradientTolerance = new HashMap<>();
        private final List<String> failures = new ArrayList<>();
        private final Map<String, Double> worst = new TreeMap<>();

        Comparison(String arch) {
            this.arch = arch;
        }

        void gradients(Export export, Map<String, Parameter> parameters, JsonObject step, String name) throws IOException {
            JsonObject exact = step.getAsJsonObject("gradients_float64");
            JsonObject theirs = step.getAsJsonObject("gradients");
            JsonObject float32Errors = step.getAsJsonObject("float32_errors");
            JsonObject channelsLastErrors = step.getAsJsonObject("float32_errors_channels_last");
            Map<String, float[]> references = new HashMap<>();
            Map<String, Double> stageErrors = new HashMap<>();
            double largest = 0;
            for (String key : exact.keySet()) {
                references.put(key, export.floats(exact.getAsJsonObject(key)));
                largest = Math.max(largest, norm(references.get(key)));
                double pytorchError = Math.max(float32Errors.get(key).getAsDouble(),
                        channelsLastErrors.get(key).getAsDouble());
                stageErrors.merge(stage(key), pytorchError, Math::max);
            }
            for (String key : exact.keySet()) {
                float[] ours = parameters.get(key).getArray().getGradient().toFloatArray();
                float[] reference = references.get(key);
                double tolerance = Math.max(RELATIVE_TOLERANCE, 4 * stageErrors.get(stage(key)));
                gradientTolerance.merge(key, tolerance, Math::max);
                check(name + " gradient of " + key, "gradient vs float64",
                        distance(reference, ours), tolerance * norm(reference) + 1e-6 * largest);
                float[] pytorch = export.floats(theirs.getAsJsonObject(key));
                if (tolerance == RELATIVE_TOLERANCE) { // well-conditioned: against PyTorch itself too
                    check(name + " gradient of " + key, "gradient vs PyTorch float32 (well-conditioned)",
                            distance(pytorch, ours), RELATIVE_TOLERANCE * norm(pytorch) + 1e-6 * largest);
                }
            }
        }

        /**
         * The stage a tensor belongs to, by its torchvision name: {@code features.N} or
         * {@code features.denseblockN} / {@code transitionN} where the network has a
         * {@code features} sequence, else the first name ({@code layer3}, {@code conv1}).
         */
        private static String stage(String key) {
            String[] names = key.split("\\.");
            return names[0].equals("features") && names.length > 2 ? names[0] + "." + names[1] : names[0];
        }

        /** Every weight and running statistic moved from its initial value as PyTorch's did. */
        void changes(Export export, Map<String, Parameter> parameters, JsonObject expected, boolean adam, String name)
                throws IOException {
            JsonObject initial = export.index.getAsJsonObject("initial");
            Map<String, float[]> theirs = new HashMap<>();
            Map<String, float[]> ours = new HashMap<>();
            double largest = 0;
            for (String key : expected.keySet()) {
                float[] start = export.floats(initial.getAsJsonObject(key));
                float[] their = export.floats(expected.getAsJsonObject(key));
                float[] our = parameters.get(key).getArray().toFloatArray();
                for (int i = 0; i < start.length; i++) {
                    their[i] -= start[i];
                    our[i] -= start[i];
                }
                theirs.put(key, their);
                ours.put(key, our);
                largest = Math.max(largest, norm(their));
            }
            for (String key : expected.keySet()) {
                boolean statistic = key.endsWith("running_mean") || key.endsWith("running_var");
                if (adam && !statistic && gradientTolerance.getOrDefault(key, RELATIVE_TOLERANCE) > RELATIVE_TOLERANCE) {
                    continue; // Adam turns an ill-conditioned gradient into +-lr noise: network-level only
                }
                double tolerance = adam && !statistic ? ADAM_TOLERANCE
                        : 2 * gradientTolerance.getOrDefault(key, RELATIVE_TOLERANCE);
                String kind = statistic ? "running statistics" : adam ? "Adam(W) weight change" : "SGD weight change";
                check(name + ": change of " + key, kind, distance(theirs.get(key), ours.get(key)),
                        tolerance * norm(theirs.get(key)) + 1e-3 * largest);
            }
        }

        /**
         * After step 2 the comparison is over the whole network (all changes as one vector): step 2
         * starts from step-1 weights that already carry each side's float32 error, which
         * ill-conditioned tensors amplify (PyTorch's own float32 stem gradient of MobileNetV2 is 6 %
         * off float64), so single tensors say little, the network as a whole does.
         */
        void networkChange(Export export, Map<String, Parameter> parameters, JsonObject expected, boolean adam,
                           String name) throws IOException {
            JsonObject initial = export.index.getAsJsonObject("initial");
            double[] weights = new double[2];
            double[] statistics = new double[2];
            for (String key : expected.keySet()) {
                float[] start = export.floats(initial.getAsJsonObject(key));
                float[] theirs = export.floats(expected.getAsJsonObject(key));
                float[] ours = parameters.get(key).getArray().toFloatArray();
                double[] sums = key.endsWith("running_mean") || key.endsWith("running_var") ? statistics : weights;
                for (int i = 0; i < start.length; i++) {
                    double their = (double) theirs[i] - start[i];
                    sums[0] += Math.pow(ours[i] - start[i] - their, 2);
                    sums[1] += their * their;
                }
            }
            double weightTolerance = adam ? NETWORK_ADAM_TOLERANCE : NETWORK_SGD_TOLERANCE;
            check(name + ": all weight changes", adam ? "network Adam(W) change" : "network SGD change",
                    Math.sqrt(weights[0]), weightTolerance * Math.sqrt(weights[1]));
            check(name + ": all running statistics", "network running statistics",
                    Math.sqrt(statistics[0]), NETWORK_SGD_TOLERANCE * Math.sqrt(statistics[1]));
        }

        private void check(String what, String kind, double error, double bound) {
            worst.merge(kind, error / bound, Math::max);
            if (!(error <= bound)) {
                failures.add(String.format(Locale.ROOT, "%s %s: error %.3g > bound %.3g", arch, what, error, bound));
            }
        }

        void assertAllWithinTolerance() {
            System.out.println(arch + " worst error / bound: " + worst);
            assertTrue(failures.isEmpty(), failures.size() + " tensors off:\n" + String.join("\n", failures));
        }
    }
}
