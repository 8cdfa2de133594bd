package io.roentgen.benchmarks.loader;

import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.EngineSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Images/s the training data path delivers (DICOM decode + pixel pipeline + resize to the model
 * input, in parallel sample by sample), cold (every sample decoded) and cached (float16 tensor
 * cache), for one manifest: one repetition of {@link DataPathBench}. Prints one JSON line.
 *
 * <p>{@code java -cp roentgen.jar:pytorch-native-cpu.jar io.roentgen.benchmarks.loader.LoaderBench MANIFEST SIZE THREADS}
 */
public final class LoaderBench {
    private LoaderBench() {}

    public static void main(String[] args) throws Exception {
        EngineSettings.fromEnvironment().apply();
        Path manifestPath = Path.of(args[0]);
        int size = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        Manifest manifest = Manifest.readCsv(manifestPath, ManifestOptions.defaults());
        Path cache = Files.createTempDirectory("roentgen-loader-cache");
        DataPathBench.Result result = DataPathBench.run(manifest, PreprocessingSpec.standard(size, 1), cache, threads, 1);
        System.out.printf(Locale.ROOT,
                "{\"manifest\":\"%s\",\"images\":%d,\"size\":%d,\"threads\":%d,\"coldImagesPerSecond\":%.1f,"
                        + "\"cachedImagesPerSecond\":%.1f,\"cacheHits\":%d}%n",
                manifestPath, manifest.size(), size, threads, result.coldImagesPerSecond()[0],
                result.cachedImagesPerSecond()[0], result.timedCacheHits());
    }
}
