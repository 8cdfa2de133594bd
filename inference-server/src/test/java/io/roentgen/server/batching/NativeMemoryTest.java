package io.roentgen.server.batching;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.server.testing.SmallBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of inferences through the real batcher and a real bundle leave native memory where
 * it was: after every forward pass the engine holds exactly the NDArrays it held before the first
 * (the model's parameters), and the process's resident memory does not grow after warm-up.
 */
class NativeMemoryTest {
    static final int SIZE = 64;
    static final int CLIENTS = 8;
    static final int WARMUP_INFERENCES = 800;
    static final int MEASURED_INFERENCES = 4000;
    /**
     * Generous: the JVM's heap and JIT settle (-4 to +22 MiB seen without a leak). Leaking one
     * activation-sized tensor per batch (a scratch run) grew it by 1 GiB, and the NDArray count
     * flagged that from the first batch.
     */
    static final long RSS_GROWTH_LIMIT_BYTES = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void liveArraysReturnToTheModelsOwnAfterEveryBatchAndResidentMemoryStaysFlat() throws Exception {
        EngineSettings.fromEnvironment().apply();
        Path bundle = SmallBundles.write(dir.resolve("small"), SIZE, 3);
        List<FloatImage> images = SmallBundles.images(32, SIZE, 4);
        NDManager engineRoot = engineRootManager();
        int beforeLoading = engineRoot.getManagedArrays().size();
        AtomicInteger baseline = new AtomicInteger(-1);
        List<String> leaks = new java.util.concurrent.CopyOnWriteArrayList<>();
        // Runs on the worker right after each forward pass: every tensor of the batch must be gone by then.
        BatchListener afterEachBatch = (model, size, queued, compute) -> {
            int live = engineRoot.getManagedArrays().size();
            if (baseline.get() >= 0 && live != baseline.get() && leaks.size() < 5) {
                leaks.add(live + " live NDArrays after a batch of " + size + ", " + baseline.get() + " before the first");
            }
        };
        DynamicBatcher batcher = new DynamicBatcher("m", "1", List.of(ModelBundle.load(bundle, Device.cpu())),
                BatchSizes.of(16, List.of(1, 4, 8)), TimeUnit.MILLISECONDS.toNanos(2), 1024, afterEachBatch);
        try {
            baseline.set(engineRoot.getManagedArrays().size());
            assertTrue(baseline.get() > beforeLoading, "the model's parameters are live NDArrays");
            drive(batcher, images, WARMUP_INFERENCES);
            System.gc();
            long rssAfterWarmup = residentBytes();
            System.out.printf("NativeMemoryTest: after warm-up heap committed %d MiB%n", Runtime.getRuntime().totalMemory() >> 20);
            drive(batcher, images, MEASURED_INFERENCES);
            System.gc();
            long growth = residentBytes() - rssAfterWarmup;
            System.out.printf("NativeMemoryTest: %d live NDArrays (the model's), resident memory %+d KiB over %d inferences, heap committed %d MiB%n",
                    baseline.get(), growth >> 10, MEASURED_INFERENCES, Runtime.getRuntime().totalMemory() >> 20);
            assertEquals(List.of(), leaks);
            assertEquals(baseline.get(), engineRoot.getManagedArrays().size());
            assertTrue(growth < RSS_GROWTH_LIMIT_BYTES, "resident memory grew by " + (growth >> 20) + " MiB over "
                    + MEASURED_INFERENCES + " inferences after warm-up");
        } finally {
            batcher.close();
        }
        assertEquals(beforeLoading, engineRoot.getManagedArrays().size(), "closing the batcher releases the model's parameters");
    }

    /** {@code clients} threads each submitting and awaiting, until {@code total} inferences are answered. */
    private static void drive(DynamicBatcher batcher, List<FloatImage> images, int total) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        CompletableFuture<Prediction> f = batcher.submit(images.get(i % images.size()), Long.MAX_VALUE);
                        f.get(60, TimeUnit.SECONDS);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** The engine's root manager: every NDArray of every manager is reachable from it. */
    private static NDManager engineRootManager() {
        try (NDManager probe = NDManager.newBaseManager(Device.cpu())) {
            NDManager root = probe.getParentManager();
            while (root.getParentManager() != null && root.getParentManager() != root) {
                root = root.getParentManager();
            }
            return root;
        }
    }

    /** VmRSS from /proc/self/status. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }
}
