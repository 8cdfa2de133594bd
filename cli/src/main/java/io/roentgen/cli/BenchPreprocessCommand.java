package io.roentgen.cli;

import io.roentgen.benchmarks.Stats;
import io.roentgen.benchmarks.loader.DataPathBench;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.FileTrees;
import io.roentgen.engine.RoentgenException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code roentgen bench preprocess}: images/s the training data path delivers from a manifest
 * (decode + pixel pipeline + resize, sample by sample on N threads), cold and from the float16
 * tensor cache; compare with `bench train` to see whether the loader can keep a device busy.
 */
@Command(
        name = "preprocess",
        mixinStandardHelpOptions = true,
        description = "Data-path throughput from a manifest: decode + pipeline + resize, cold and from the tensor cache.",
        footer = {"", "Examples:", "  roentgen bench preprocess demo/manifest.csv --image-size 224",
            "  roentgen bench preprocess cxr.csv --threads 16 --json",
            "  roentgen bench preprocess demo/manifest.csv --repetitions 5 --plot preprocess.png"})
final class BenchPreprocessCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    ManifestFlags manifestFlags;

    @Parameters(paramLabel = "MANIFEST", description = "CSV manifest of DICOM files.")
    Path manifest;

    @Option(names = "--image-size", defaultValue = "224", description = "Model input size (default ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--channels", defaultValue = "1", description = "Model input channels (default ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--threads", defaultValue = "0", description = "Reader threads (0: one per core).")
    int threads;

    @Option(names = "--repetitions", defaultValue = "3",
            description = "Timed passes each, cold and cached, after an untimed one; medians and spread over them (default ${DEFAULT-VALUE}).")
    int repetitions;

    @Mixin
    BenchOutput output;

    /** One way of delivering samples (cold: decoded every time; cached: from the tensor cache). */
    record Row(String source, Stats.Spread imagesPerSecond) {}

    @Override
    public Integer call() throws RoentgenException {
        BenchOutput.checkRepetitions(repetitions);
        output.checkPlot();
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Manifest entries = Manifest.readCsv(manifest, manifestFlags.options());
        Path cache = null;
        try {
            cache = Files.createTempDirectory("roentgen-bench-cache");
            DataPathBench.Result result = DataPathBench.run(entries, PreprocessingSpec.standard(imageSize, channels),
                    cache, workers, repetitions);
            List<Row> rows = List.of(new Row("cold", Stats.spread(result.coldImagesPerSecond())),
                    new Row("cached", Stats.spread(result.cachedImagesPerSecond())));
            print(rows, entries.size(), workers, result);
            if (output.wantsPlot()) {
                LinkedHashMap<String, Function<Row, Stats.Spread>> figures = new LinkedHashMap<>();
                figures.put("images/s", Row::imagesPerSecond);
                output.writePlot(BenchPlots.bars(String.format(Locale.ROOT, "bench preprocess, %d images to %dx%d, %d threads",
                        entries.size(), imageSize, imageSize, workers), rows, Row::source, figures));
            }
            return 0;
        } catch (IOException e) {
            throw new RoentgenException("preprocess benchmark failed: " + e.getMessage(), false, e);
        } finally {
            FileTrees.deleteQuietly(cache);
        }
    }

    private void print(List<Row> rows, int images, int workers, DataPathBench.Result result) {
        if (output.json) {
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("manifest", manifest.toString());
            settings.put("images", images);
            settings.put("imageSize", imageSize);
            settings.put("channels", channels);
            settings.put("threads", workers);
            Map<String, Object> report = BenchOutput.report("preprocess", settings, repetitions, rows);
            report.put("timedCacheHits", result.timedCacheHits());
            report.put("timedCacheLookups", result.timedCacheLookups());
            System.out.println(Json.of(report));
            return;
        }
        System.out.printf(Locale.ROOT, "%d images to %dx%d on %d threads, %d timed passes each; median (min-max)%n",
                images, imageSize, imageSize, workers, repetitions);
        System.out.printf("%-8s %-28s%n", "source", "images/s");
        for (Row r : rows) {
            System.out.printf("%-8s %-28s%n", r.source(), BenchOutput.spread(r.imagesPerSecond(), 1));
        }
        if (result.timedCacheHits() != result.timedCacheLookups()) {
            System.out.printf("note: %d of %d cached lookups missed%n", result.timedCacheLookups() - result.timedCacheHits(),
                    result.timedCacheLookups());
        }
    }
}
