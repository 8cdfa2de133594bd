package io.roentgen.benchmarks.loader;

import io.roentgen.datasets.CollectionIndex;
import io.roentgen.datasets.DicomDataset;
import io.roentgen.datasets.cache.CacheStats;
import io.roentgen.datasets.cache.TensorCache;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.RoentgenException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one harness of the training data path ({@code roentgen bench preprocess} and
 * {@link LoaderBench}): images/s of the training data path, repeated. Cold (no
 * tensor cache, every sample decoded) after one untimed pass that warms the JIT and the page
 * cache; cached after the untimed pass that fills the cache. Each timed pass is one repetition.
 */
public final class DataPathBench {
    private DataPathBench() {}

    /**
     * Per-pass images/s, and the cache lookups of the timed cached passes (all hits when every
     * sample was cached).
     */
    public record Result(double[] coldImagesPerSecond, double[] cachedImagesPerSecond, long timedCacheHits,
            long timedCacheLookups) {}

    public static Result run(Manifest manifest, PreprocessingSpec spec, Path cacheDirectory, int threads,
            int repetitions) throws IOException, RoentgenException {
        CollectionIndex index = CollectionIndex.inMemory();
        DicomDataset cold = DicomDataset.builder().manifest(manifest).preprocessing(spec).index(index).build();
        double[] coldRates = timedPasses(cold, threads, repetitions);
        TensorCache cache = TensorCache.open(cacheDirectory, spec.toJson());
        DicomDataset cached = DicomDataset.builder().manifest(manifest).preprocessing(spec).index(index)
                .cache(cache).build();
        DatasetPasses.measure(cached, threads, 1); // fills the cache
        CacheStats before = cache.stats();
        double[] cachedRates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            cachedRates[r] = DatasetPasses.measure(cached, threads, 1).imagesPerSecond();
        }
        CacheStats after = cache.stats();
        long hits = after.hits() - before.hits();
        return new Result(coldRates, cachedRates, hits, hits + after.misses() - before.misses());
    }

    private static double[] timedPasses(DicomDataset dataset, int threads, int repetitions) throws IOException {
        DatasetPasses.measure(dataset, threads, 1); // warm-up
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            rates[r] = DatasetPasses.measure(dataset, threads, 1).imagesPerSecond();
        }
        return rates;
    }
}
