package io.roentgen.server;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.torch.OpenMpThreads;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.server.batching.BatchSizes;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.repository.ServedModel;
import io.roentgen.server.routes.ExplanationQueue;
import io.roentgen.server.testing.SmallBundles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A serving process keeps one OpenMP pool per thread that serves, and none for threads that only
 * loaded a model or explained one: libgomp keeps a pool for the life of every thread that ran a
 * parallel region, and with more OpenMP threads than CPUs all of them stop spinning between
 * regions (a batch-1 ResNet-18 took 1.7x as long on 2 cores). Counted with
 * {@link OpenMpThreads#waitingHelpers()}, at 2 intra-op threads, so each pool is one helper.
 */
class OpenMpPoolsTest {
    static final int SIZE = 64;
    static final int THREADS = 2;
    static final long NO_DEADLINE = Long.MAX_VALUE;

    @TempDir
    static Path root;
    static FloatImage image;
    static int threadsBefore;

    @BeforeAll
    static void bundle() throws Exception {
        EngineSettings.fromEnvironment().apply();
        SmallBundles.write(root.resolve("m").resolve("1"), SIZE, 5);
        image = SmallBundles.images(1, SIZE, 6).get(0);
        threadsBefore = JniUtils.getNumThreads();
        JniUtils.setNumThreads(THREADS); // new threads take it at their first parallel region
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }

    @Test
    void aModelLoadedByAThreadThatLivesOnLeavesOnlyItsWorkersPool() throws Exception {
        int before = settledHelpers();
        ModelRepository repository = new ModelRepository(root, ModelFormats.standard(), List.of(Device.cpu()),
                // no warm-up: the load itself then runs a forward pass (the finite-score check)
                new ModelRepository.BatchSettings(BatchSizes.upTo(1), 0, 8, false, 0), (m, n, q, c) -> {});
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        CountDownLatch stop = new CountDownLatch(1);
        // As the server's main thread or an HTTP thread that reloads a model: it loads, then lives on.
        Thread loader = new Thread(() -> {
            try {
                repository.load("m");
                loaded.complete(null);
                stop.await();
            } catch (Exception e) {
                loaded.completeExceptionally(e);
            }
        }, "long-lived-loader");
        loader.start();
        try {
            loaded.get(60, TimeUnit.SECONDS);
            repository.submit("m", null, image, NO_DEADLINE).get(60, TimeUnit.SECONDS);
            assertEquals(THREADS - 1, settledHelpers() - before,
                    "OpenMP helpers added: the batching worker's pool only, none left by the loading thread");
        } finally {
            stop.countDown();
            loader.join();
            repository.close();
        }
    }

    @Test
    void theExplanationWorkersPoolEndsWhenItIdles() throws Exception {
        ModelRepository repository = new ModelRepository(root, ModelFormats.standard(), List.of(Device.cpu()),
                new ModelRepository.BatchSettings(BatchSizes.upTo(1), 0, 8, true, 0), (m, n, q, c) -> {});
        try (ExplanationQueue explanations = new ExplanationQueue(ExplanationQueue.DEFAULT_CAPACITY)) {
            ServedModel model = repository.load("m");
            int before = settledHelpers();
            explanations.submit(model, image, CamMethod.GRAD_CAM, null).get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int helpers = settledHelpers();
            while (helpers != before && System.nanoTime() < deadline) {
                Thread.sleep(200);
                helpers = settledHelpers();
            }
            assertEquals(before, helpers, "the idle explanation worker ended, and its OpenMP pool with it");
        } finally {
            repository.close();
        }
    }

    /** The count once it has been the same for 5 readings 100 ms apart (helpers spin a moment after a region). */
    static int settledHelpers() throws InterruptedException {
        assertTrue(OpenMpThreads.waitingHelpers().isPresent(), "libgomp, DJL's CPU libtorch's OpenMP runtime, is visible in /proc");
        int last = -1;
        int same = 0;
        for (int i = 0; i < 200 && same < 5; i++) {
            int now = OpenMpThreads.waitingHelpers().getAsInt();
            same = now == last ? same + 1 : 0;
            last = now;
            Thread.sleep(100);
        }
        return last;
    }
}
