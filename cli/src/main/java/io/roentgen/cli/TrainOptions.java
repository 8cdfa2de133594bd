package io.roentgen.cli;

import ai.djl.Device;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.Precision;
import io.roentgen.training.run.TrainingConfig;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;

/** {@code roentgen train}'s model and optimisation flags ({@code @Mixin}), and the config they make. */
final class TrainOptions {
    @Option(names = "--arch", defaultValue = "resnet18", description = "Architecture (see `roentgen models`; default ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--image-size", defaultValue = "224", description = "Input size in pixels (default ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--channels", defaultValue = "1", description = "Input channels, 1 or 3 (default ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--epochs", defaultValue = "20", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw, adam or sgd (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--nesterov", description = "SGD with Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "1e-4",
            description = "Weight decay, on weights of rank >= 2 only, never on biases or batch norm (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--clip-grad-norm", defaultValue = "0", paramLabel = "NORM",
            description = "Clip the global gradient 2-norm to NORM, as PyTorch's clip_grad_norm_ (0: off).")
    double clipGradNorm;

    @Option(names = "--schedule", defaultValue = "cosine", description = "cosine, step or constant (default ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warmup-epochs", defaultValue = "1", description = "Linear warm-up epochs (default ${DEFAULT-VALUE}).")
    double warmupEpochs;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for split, shuffles, augmentation, init (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--class-weights", defaultValue = "auto", description = "auto (inverse frequency) or none (default ${DEFAULT-VALUE}).")
    String classWeights;

    @Option(names = "--early-stop", defaultValue = "0", description = "Stop after N epochs without a better validation AUROC (0: off).")
    int earlyStop;

    @Option(names = "--workers", defaultValue = "0", description = "Loader threads (0: one per core).")
    int workers;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16|fp16",
            description = "Forward and backward under autocast in this precision, weights kept in fp32; fp16 with "
                    + "dynamic loss scaling. Validation runs in it too; model.json records it (default ${DEFAULT-VALUE}).")
    String precision;

    TrainingConfig config(List<String> classNames, List<Device> devices, boolean multiLabel) throws RoentgenException {
        try {
            return TrainingConfig.builder().epochs(epochs).batchSize(batchSize).learningRate(learningRate)
                    .optimizer(TrainingConfig.OptimizerKind.valueOf(optimizer.toUpperCase(Locale.ROOT)))
                    .momentum(momentum).nesterov(nesterov).weightDecay(weightDecay).maxGradientNorm(clipGradNorm)
                    .schedule(TrainingConfig.ScheduleKind.valueOf(schedule.toUpperCase(Locale.ROOT)))
                    .warmupEpochs(warmupEpochs).seed(seed)
                    .classWeighting(TrainingConfig.ClassWeighting.valueOf(classWeights.toUpperCase(Locale.ROOT)))
                    .earlyStopPatience(earlyStop).devices(devices).multiLabel(multiLabel)
                    .numClasses(classNames.size()).labelNames(classNames)
                    .loaderWorkers(workers > 0 ? workers : Runtime.getRuntime().availableProcessors())
                    .prefetchBatches(2).precision(Precision.parse(precision)).build();
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage(e.getMessage());
        }
    }
}
