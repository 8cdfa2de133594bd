package io.roentgen.cli;

import ai.djl.Device;
import io.roentgen.benchmarks.Stats;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.DeviceSpec;
import io.roentgen.engine.Devices;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.bundle.ModelBundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code roentgen bench infer}: in-process inference of a bundle: images/s and latency per batch size. */
@Command(
        name = "infer",
        mixinStandardHelpOptions = true,
        description = "In-process inference of a model bundle on preprocessed inputs: images/s and latency percentiles per batch size.",
        footer = {"", "Examples:", "  roentgen bench infer --model runs/demo/bundle --batch-sizes 1,8,32",
            "  roentgen bench infer --model model.zip --devices gpu:0 --calls 200 --json",
            "  roentgen bench infer --model runs/demo/bundle --batch-sizes 1,2,4,8,16,32 --plot infer.png"})
final class BenchInferCommand implements Callable<Integer> {
    private static final int WARM_UP_CALLS = 5;

    @Mixin
    CommonOptions common;

    @Mixin
    PrecisionOption precision;

    @Mixin
    BenchOutput output;

    @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "Model bundle (folder or .zip).")
    Path model;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,8,32", description = "Batch sizes (default ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--calls", defaultValue = "50", description = "Timed calls per batch size and repetition (default ${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--repetitions", defaultValue = "3",
            description = "Timed repetitions per batch size, after 5 warm-up calls; medians and spread over them (default ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--devices", defaultValue = "auto", description = "Device (the first of the selection is used).")
    String devices;

    /** One batch size's figures over the repetitions. */
    record Row(int batchSize, Stats.Spread imagesPerSecond, Stats.Spread p50Ms, Stats.Spread p90Ms, Stats.Spread p99Ms) {}

    @Override
    public Integer call() throws RoentgenException {
        if (calls < 1 || batchSizes.stream().anyMatch(b -> b < 1)) {
            throw RoentgenException.usage("--calls and every batch size must be at least 1");
        }
        BenchOutput.checkRepetitions(repetitions);
        output.checkPlot();
        Device device = Devices.select(DeviceSpec.parse(devices), EngineSettings.fromEnvironment()).get(0);
        List<Row> rows = new ArrayList<>();
        try (Classifier classifier = precision.apply(ModelBundle.load(model, device), device)) {
            ModelCard card = classifier.card();
            for (int batch : batchSizes) {
                rows.add(measure(classifier, card, batch));
            }
        }
        print(rows, device);
        if (output.wantsPlot()) {
            Map<String, Function<Row, Stats.Spread>> latencies = new LinkedHashMap<>();
            latencies.put("p50", Row::p50Ms);
            latencies.put("p99", Row::p99Ms);
            output.writePlot(BenchPlots.throughputAndLatency("bench infer on " + device, "batch size", rows,
                    Row::batchSize, "images/s", Row::imagesPerSecond, "latency per call", latencies));
        }
        return 0;
    }

    private void print(List<Row> rows, Device device) {
        if (output.json) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("model", model.toString());
            settings.put("device", device.toString());
            settings.put("precision", precision.precision);
            settings.put("callsPerRepetition", calls);
            settings.put("warmUpCalls", WARM_UP_CALLS);
            System.out.println(Json.of(BenchOutput.report("infer", settings, repetitions, rows)));
            return;
        }
        System.out.printf("%d repetition%s of %d calls on %s; median (min-max) over repetitions%n", repetitions,
                repetitions == 1 ? "" : "s", calls, device);
        System.out.printf("%-6s %-26s %-22s %-22s %-22s%n", "batch", "images/s", "p50 ms", "p90 ms", "p99 ms");
        for (Row r : rows) {
            System.out.printf("%-6d %-26s %-22s %-22s %-22s%n", r.batchSize(), BenchOutput.spread(r.imagesPerSecond(), 1),
                    BenchOutput.spread(r.p50Ms(), 2), BenchOutput.spread(r.p90Ms(), 2), BenchOutput.spread(r.p99Ms(), 2));
        }
    }

    /** Warm-up (also the engine's per-shape optimisation), then the timed repetitions. */
    private Row measure(Classifier classifier, ModelCard card, int batch) throws RoentgenException {
        List<FloatImage> images = randomImages(card, batch);
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            classifier.predict(images);
        }
        double[] throughput = new double[repetitions];
        double[][] percentiles = new double[3][repetitions];
        for (int r = 0; r < repetitions; r++) {
            double[] ms = new double[calls];
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                classifier.predict(images);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            throughput[r] = (double) batch * calls / ((System.nanoTime() - start) / 1e9);
            percentiles[0][r] = Stats.percentile(ms, 0.50);
            percentiles[1][r] = Stats.percentile(ms, 0.90);
            percentiles[2][r] = Stats.percentile(ms, 0.99);
        }
        return new Row(batch, Stats.spread(throughput), Stats.spread(percentiles[0]), Stats.spread(percentiles[1]),
                Stats.spread(percentiles[2]));
    }

    private static List<FloatImage> randomImages(ModelCard card, int batch) {
        SplittableRandom random = new SplittableRandom(1);
        List<FloatImage> images = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            float[] data = new float[card.channels() * card.height() * card.width()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian();
            }
            images.add(new FloatImage(data, card.channels(), card.height(), card.width()));
        }
        return images;
    }
}
