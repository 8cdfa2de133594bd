package io.roentgen.cli;

import ai.djl.Device;
import io.roentgen.datasets.transform.FloatImage;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/** {@code roentgen bench infer}: in-process inference of a bundle: images/s and latency per batch size. */
@Command(
        name = "infer",
        mixinStandardHelpOptions = true,
        description = "In-process inference of a model bundle on preprocessed inputs: images/s and latency percentiles per batch size.",
        footer = {"", "Examples:", "  roentgen bench infer --model runs/demo/bundle --batch-sizes 1,8,32",
            "  roentgen bench infer --model model.zip --devices gpu:0 --calls 200 --json"})
final class BenchInferCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "Model bundle (folder or .zip).")
    Path model;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,8,32", description = "Batch sizes (default ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--calls", defaultValue = "50", description = "Timed calls per batch size (default ${DEFAULT-VALUE}).")
    int calls;

    @Option(names = "--devices", defaultValue = "auto", description = "Device (the first of the selection is used).")
    String devices;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws RoentgenException {
        if (calls < 1 || batchSizes.stream().anyMatch(b -> b < 1)) {
            throw RoentgenException.usage("--calls and every batch size must be at least 1");
        }
        Device device = Devices.select(DeviceSpec.parse(devices), EngineSettings.fromEnvironment()).get(0);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Classifier classifier = ModelBundle.load(model, device)) {
            ModelCard card = classifier.card();
            for (int batch : batchSizes) {
                rows.add(measure(classifier, card, batch));
            }
        }
        if (json) {
            System.out.println(Json.of(rows));
        } else {
            System.out.printf("%-6s %12s %10s %10s %10s%n", "batch", "images/s", "p50 ms", "p90 ms", "p99 ms");
            for (Map<String, Object> r : rows) {
                System.out.printf(Locale.ROOT, "%-6d %12.1f %10.2f %10.2f %10.2f%n", r.get("batchSize"),
                        r.get("imagesPerSecond"), r.get("p50Ms"), r.get("p90Ms"), r.get("p99Ms"));
            }
        }
        return 0;
    }

    private Map<String, Object> measure(Classifier classifier, ModelCard card, int batch) throws RoentgenException {
        List<FloatImage> images = randomImages(card, batch);
        for (int i = 0; i < 5; i++) {
            classifier.predict(images); // warm-up, also the engine's per-shape optimisation
        }
        double[] ms = new double[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            classifier.predict(images);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("batchSize", batch);
        row.put("imagesPerSecond", batch * 1000.0 / ms[calls / 2]);
        row.put("p50Ms", ms[calls / 2]);
        row.put("p90Ms", ms[Math.min(calls - 1, (int) Math.ceil(calls * 0.9) - 1)]);
        row.put("p99Ms", ms[Math.min(calls - 1, (int) Math.ceil(calls * 0.99) - 1)]);
        return row;
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
