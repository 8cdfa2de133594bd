package io.roentgen.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.roentgen.benchmarks.Stats;
import io.roentgen.benchmarks.training.TrainInferBench;
import io.roentgen.engine.DeviceSpec;
import io.roentgen.engine.Devices;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.engine.torch.Precision;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code roentgen bench train}: training images/s of an architecture on the selected devices. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Training throughput (images/s) of an architecture on random inputs: AdamW steps, warm-up excluded.",
        footer = {"", "Examples:", "  roentgen bench train --arch resnet18 --image-size 224 --batch-size 32 --devices auto",
            "  roentgen bench train --arch densenet121 --devices gpu:0,1 --repetitions 5 --json",
            "  roentgen bench train --arch resnet18 --batch-size 8,16,32,64 --plot train.png"})
final class BenchTrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--arch", defaultValue = "resnet18", description = "Architecture (default ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--image-size", defaultValue = "224", description = "Input size (default ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--channels", defaultValue = "1", description = "Input channels (default ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--batch-size", split = ",", defaultValue = "32",
            description = "Batch size, or several (8,16,32) to compare (default ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--devices", defaultValue = "auto", description = "auto, cpu, gpu, gpu:N,M (default ${DEFAULT-VALUE}).")
    String devices;

    @Option(names = "--steps", defaultValue = "5", description = "Timed steps per repetition, after 2 warm-up steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = {"--repetitions", "--rounds"}, defaultValue = "3",
            description = "Repetitions per batch size, each the median of its steps; medians and spread over them (default ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16|fp16",
            description = "Steps as `train --precision` takes them: autocast, fp32 master weights (default ${DEFAULT-VALUE}).")
    String precision;

    @Mixin
    BenchOutput output;

    /** One batch size's figures over the repetitions. */
    record Row(int batchSize, Stats.Spread imagesPerSecond, Stats.Spread stepMs) {}

    @Override
    public Integer call() throws RoentgenException {
        if (steps < 1 || batchSizes.stream().anyMatch(b -> b < 1)) {
            throw RoentgenException.usage("--steps and --batch-size must be at least 1");
        }
        BenchOutput.checkRepetitions(repetitions);
        Precision stepPrecision = PrecisionOption.parseTraining(precision);
        output.checkPlot();
        List<Device> selected = Devices.select(DeviceSpec.parse(devices), EngineSettings.fromEnvironment());
        Block block = Architectures.build(new ArchitectureSpec(arch, channels, 2, imageSize, false));
        List<Row> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(selected.get(0))) {
            // Parameter shapes do not depend on the batch size: one initialisation serves every row.
            block.initialize(manager, DataType.FLOAT32, new Shape(batchSizes.get(0), channels, imageSize, imageSize));
            for (int batch : batchSizes) {
                double[] imagesPerSecond = new double[repetitions];
                double[] stepMs = new double[repetitions];
                for (int r = 0; r < repetitions; r++) {
                    imagesPerSecond[r] = TrainInferBench.trainImagesPerSecond(block, manager, selected, channels,
                            imageSize, batch, steps, stepPrecision);
                    stepMs[r] = batch * 1000.0 / imagesPerSecond[r];
                }
                rows.add(new Row(batch, Stats.spread(imagesPerSecond), Stats.spread(stepMs)));
            }
        }
        print(rows, selected);
        if (output.wantsPlot()) {
            output.writePlot(BenchPlots.throughputAndLatency("bench train " + arch + " on " + devices(selected), "batch size",
                    rows, Row::batchSize, "images/s", Row::imagesPerSecond, "step time", Map.of("step", Row::stepMs)));
        }
        return 0;
    }

    private static String devices(List<Device> selected) {
        return String.join(",", selected.stream().map(Device::toString).toList());
    }

    private void print(List<Row> rows, List<Device> selected) {
        if (output.json) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("arch", arch);
            settings.put("imageSize", imageSize);
            settings.put("channels", channels);
            settings.put("devices", selected.stream().map(Device::toString).toList());
            settings.put("stepsPerRepetition", steps);
            settings.put("precision", precision);
            settings.put("warmUpSteps", 2);
            System.out.println(Json.of(BenchOutput.report("train", settings, repetitions, rows)));
            return;
        }
        System.out.printf(Locale.ROOT, "%s %dx%dx%d on %s in %s: %d repetition%s of %d steps; median (min-max) over repetitions%n",
                arch, channels, imageSize, imageSize, devices(selected), precision, repetitions, repetitions == 1 ? "" : "s", steps);
        System.out.printf("%-6s %-26s %-26s%n", "batch", "images/s", "step ms");
        for (Row r : rows) {
            System.out.printf("%-6d %-26s %-26s%n", r.batchSize(), BenchOutput.spread(r.imagesPerSecond(), 1),
                    BenchOutput.spread(r.stepMs(), 1));
        }
    }
}
