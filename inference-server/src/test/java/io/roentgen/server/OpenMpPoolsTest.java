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
 * regions (a batch-1 ResNet-18 took 1.7x as long on 2 cores). Seen with
 * {@link OpenMpThreads#waitingHelpers()}, at 2 intra-op threads, so each pool is one helper named
 * after the thread it serves (Linux names a thread after its creator); other tests' pools in this
 * JVM have other names.
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
        }, "loader-lives-on");
        loader.start();
        try {
            loaded.get(60, TimeUnit.SECONDS);
            repository.submit("m", null, image, NO_DEADLINE).get(60, TimeUnit.SECONDS);
            List<String> helpers = settledHelpers();
            assertEquals(THREADS - 1, count(helpers, "batcher-m-v1-0"), "the batching worker has its pool: " + helpers);
            assertEquals(0, count(helpers, "loader-lives-on"), "the thread that loaded the model has none: " + helpers);
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
        try (ExplanationQueue explanations = new ExplanationQueue(ExplanationQueue.DEFAULT_CAPACITY, 1.0)) {
            ServedModel model = repository.load("m");
            explanations.submit(model, null, image, CamMethod.GRAD_CAM, null, null).get(60, TimeUnit.SECONDS);
            boolean hadPool = false;
            for (int i = 0; i < 50 && !hadPool; i++) { // before it idles out (2 s)
                hadPool = count(OpenMpThreads.waitingHelpers().orElseThrow(), "roentgen-explain") > 0;
                Thread.sleep(20);
            }
            assertTrue(hadPool, "the explanation ran a parallel region on its worker, which then had a pool");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            List<String> helpers = settledHelpers();
            while (count(helpers, "roentgen-explain") > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                helpers = settledHelpers();
            }
            assertEquals(0, count(helpers, "roentgen-explain"), "the idle explanation worker ended, and its pool with it: " + helpers);
        } finally {
            repository.close();
        }
    }

    /** The helpers once they have been the same for 5 readings 100 ms apart (helpers spin a moment after a region). */
    static List<String> settledHelpers() throws InterruptedException {
        assertTrue(OpenMpThreads.waitingHelpers().isPresent(), "libgomp, DJL's CPU libtorch's OpenMP runtime, is visible in /proc");
        List<String> last = null;
        int same = 0;
        for (int i = 0; i < 200 && same < 5; i++) {
            List<String> now = OpenMpThreads.waitingHelpers().orElseThrow().stream().sorted().toList();
            same = now.equals(last) ? same + 1 : 0;
            last = now;
            Thread.sleep(100);
        }
        return last;
    }

    /** Helpers of the pool of the thread named {@code thread} (Linux keeps 15 characters of a name). */
    static long count(List<String> helpers, String thread) {
        String name = thread.length() > 15 ? thread.substring(0, 15) : thread;
        return helpers.stream().filter(name::equals).count();
    }
}
