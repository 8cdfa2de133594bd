package io.roentgen.benchmarks.loader;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Timed passes over a dataset: images per second that {@link RandomAccessDataset#get} delivers
 * (decode, preprocess, NDArray creation) over N threads, the way the training loader's workers
 * call it. Needs a DJL engine on the class path for the NDArrays.
 */
final class DatasetPasses {
    private DatasetPasses() {}

    /** One timed run. */
    record Measurement(int threads, long images, double seconds) {
        double imagesPerSecond() {
            return images / seconds;
        }
    }

    /**
     * Times {@code passes} passes over every sample, samples dealt to {@code threads} threads
     * round-robin, each sample's arrays created in a sub-manager closed at once.
     */
    static Measurement measure(RandomAccessDataset dataset, int threads, int passes) throws IOException {
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
