package io.roentgen.datasets;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import io.roentgen.datasets.cache.CacheStats;
import io.roentgen.datasets.cache.TensorCache;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.RoentgenException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A benchmark harness: images per second that {@link RandomAccessDataset#get} delivers (decode,
 * preprocess, NDArray creation) over N threads, the way the training loader's workers call it.
 * "Cold" means no tensor cache (every sample decoded); the operating system's page cache is not
 * dropped, so it measures decoding, not disk. "Cached" is a second pass over a {@link TensorCache}
 * the first pass filled. Needs a DJL engine on the class path for the NDArrays.
 */
public final class DatasetThroughput {
    private DatasetThroughput() {}

    /** One timed run. */
    public record Measurement(int threads, long images, double seconds) {
        public double imagesPerSecond() {
            return images / seconds;
        }
    }

    /** Cold and cached throughput of one collection, with the cache's counts after the cached pass. */
    public record Report(Measurement cold, Measurement cached, CacheStats cacheStats) {}

    /**
     * Times {@code passes} passes over every sample, samples dealt to {@code threads} threads
     * round-robin, each sample's arrays created in a sub-manager closed at once.
     */
    public static Measurement measure(RandomAccessDataset dataset, int threads, int passes) throws IOException {
        long size = dataset.size();
        AtomicLong next = new AtomicLong();
        long total = size * passes;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        // Host memory, as the training loader's workers build samples; batches go to devices later.
        try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
            List<Future<?>> workers = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        try (NDManager sample = base.newSubManager()) {
                            dataset.get(sample, i % size);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                await(worker);
            }
            return new Measurement(threads, total, (System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Cold (no cache) then cached (a fill pass, then a timed pass) throughput of a manifest's images. */
    public static Report coldAndCached(Manifest manifest, PreprocessingSpec spec, Path cacheDirectory, int threads)
            throws IOException, RoentgenException {
        CollectionIndex index = CollectionIndex.inMemory();
        DicomDataset cold = DicomDataset.builder().manifest(manifest).preprocessing(spec).index(index).build();
        Measurement coldRun = measure(cold, threads, 1);
        TensorCache cache = TensorCache.open(cacheDirectory, spec.toJson());
        DicomDataset cachedDataset = DicomDataset.builder().manifest(manifest).preprocessing(spec).index(index)
                .cache(cache).build();
        measure(cachedDataset, threads, 1);
        Measurement cachedRun = measure(cachedDataset, threads, 1);
        return new Report(coldRun, cachedRun, cache.stats());
    }

    private static void await(Future<?> worker) throws IOException {
        try {
            worker.get();
        } catch (ExecutionException e) {
            throw new IOException("a reader thread failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
