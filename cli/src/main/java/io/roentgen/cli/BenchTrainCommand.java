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
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
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
            "  roentgen bench train --arch densenet121 --devices gpu:0,1 --rounds 5 --json"})
final class BenchTrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--arch", defaultValue = "resnet18", description = "Architecture (default ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--image-size", defaultValue = "224", description = "Input size (default ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--channels", defaultValue = "1", description = "Input channels (default ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--batch-size", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--devices", defaultValue = "auto", description = "auto, cpu, gpu, gpu:N,M (default ${DEFAULT-VALUE}).")
    String devices;

    @Option(names = "--steps", defaultValue = "5", description = "Timed steps per round (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds; the median is reported (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws RoentgenException {
        if (steps < 1 || rounds < 1 || batchSize < 1) {
            throw RoentgenException.usage("--steps, --rounds and --batch-size must be at least 1");
        }
        List<Device> selected = Devices.select(DeviceSpec.parse(devices), EngineSettings.fromEnvironment());
        Block block = Architectures.build(new ArchitectureSpec(arch, channels, 2, imageSize, false));
        List<Double> perRound = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(selected.get(0))) {
            block.initialize(manager, DataType.FLOAT32, new Shape(batchSize, channels, imageSize, imageSize));
            for (int r = 0; r < rounds; r++) {
                perRound.add(TrainInferBench.trainImagesPerSecond(block, manager, selected, channels, imageSize,
                        batchSize, steps));
            }
        }
        double median = Stats.median(perRound);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("arch", arch);
            m.put("imageSize", imageSize);
            m.put("channels", channels);
            m.put("batchSize", batchSize);
            m.put("devices", selected.stream().map(Device::toString).toList());
            m.put("medianImagesPerSecond", median);
            m.put("imagesPerSecondPerRound", perRound);
            System.out.println(Json.of(m));
        } else {
            System.out.printf(Locale.ROOT, "%s %dx%dx%d, batch %d on %s: %.1f images/s (median of %d rounds; %s)%n",
                    arch, channels, imageSize, imageSize, batchSize, selected, median, rounds, rounded(perRound));
        }
        return 0;
    }


    static String rounded(List<Double> values) {
        return Arrays.toString(values.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toArray());
    }
}
