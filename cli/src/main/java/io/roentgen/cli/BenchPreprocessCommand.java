package io.roentgen.cli;

import io.roentgen.datasets.DatasetThroughput;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.pixel.PreprocessingSpec;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

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
            "  roentgen bench preprocess cxr.csv --threads 16 --json"})
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

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws RoentgenException {
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Manifest entries = Manifest.readCsv(manifest, manifestFlags.options());
        Path cache = null;
        try {
            cache = Files.createTempDirectory("roentgen-bench-cache");
            DatasetThroughput.Report report = DatasetThroughput.coldAndCached(entries,
                    PreprocessingSpec.standard(imageSize, channels), cache, workers);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("images", entries.size());
            m.put("imageSize", imageSize);
            m.put("threads", workers);
            m.put("coldImagesPerSecond", report.cold().imagesPerSecond());
            m.put("cachedImagesPerSecond", report.cached().imagesPerSecond());
            m.put("cacheHits", report.cacheStats().hits());
            if (json) {
                System.out.println(Json.of(m));
            } else {
                System.out.printf(Locale.ROOT, "%d images to %dx%d on %d threads: cold %.1f images/s, cached %.1f images/s%n",
                        entries.size(), imageSize, imageSize, workers, report.cold().imagesPerSecond(),
                        report.cached().imagesPerSecond());
            }
            return 0;
        } catch (IOException e) {
            throw new RoentgenException("preprocess benchmark failed: " + e.getMessage(), false, e);
        } finally {
            FileTrees.deleteQuietly(cache);
        }
    }

}
