package io.roentgen.server.batching;

import ai.djl.Device;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.server.testing.GatedClassifier;
import io.roentgen.server.testing.RecordingClassifier;
import io.roentgen.server.testing.SmallBundles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batcher's worker with a real small CNN: a lone request never waits out the queue delay, a
 * burst that queued behind a batch runs as one, the clients a batch answered are waited for, and
 * idle workers keep warm on their own thread. The queue delay is an hour throughout, so any wait
 * the policy should not make shows up as a request that never completes, not as a slow one.
 */
class AdaptiveBatchingTest {
    static final int SIZE = 32;
    static final long HOUR = TimeUnit.HOURS.toNanos(1);
    static final long NO_DEADLINE = Long.MAX_VALUE;

    @TempDir
    static Path dir;
    static Path bundle;
    static List<FloatImage> images;

    @BeforeAll
    static void bundle() throws RoentgenException {
        EngineSettings.fromEnvironment().apply();
        bundle = SmallBundles.write(dir.resolve("small"), SIZE, 11);
        images = SmallBundles.images(14, SIZE, 12);
    }

    @Test
    void aLoneRequestRunsAtOnceHoweverLongTheQueueDelay() throws Exception {
        RecordingClassifier model = new RecordingClassifier(ModelBundle.load(bundle, Device.cpu()));
        DynamicBatcher batcher = new DynamicBatcher("m", "1", List.of(model), BatchSizes.upTo(8), HOUR, 64, (n, s, q, c) -> {});
        try {
            for (int i = 0; i < 3; i++) {
                Prediction p = batcher.submit(images.get(i), NO_DEADLINE).get(60, TimeUnit.SECONDS);
                assertEquals(1, p.batchSize());
            }
        } finally {
            batcher.close();
        }
    }

    @Test
    void aBurstQueuedBehindABatchRunsAsOneAndTheNextBatchWaitsForItsClients() throws Exception {
        GatedClassifier.Gate gate = new GatedClassifier.Gate();
        gate.hold();
        GatedClassifier model = new GatedClassifier(ModelBundle.load(bundle, Device.cpu()), gate);
        DynamicBatcher batcher = new DynamicBatcher("m", "1", List.of(model), BatchSizes.upTo(8), HOUR, 64, (n, s, q, c) -> {});
        try {
            CompletableFuture<Prediction> lone = batcher.submit(images.get(0), NO_DEADLINE);
            awaitTrue(() -> gate.imagesInside() == 1, "the lone request reaches the forward pass");
            List<CompletableFuture<Prediction>> burst = submit(batcher, images.subList(1, 6));
            gate.release();
            assertEquals(1, lone.get(60, TimeUnit.SECONDS).batchSize());
            // The 5 that queued meanwhile wait for the client the lone batch answered, which comes back.
            awaitParkedWithEmptyQueue(batcher, burst.get(0));
            assertFalse(burst.get(0).isDone(), "the burst waits for the client the last batch answered");
            burst.add(batcher.submit(images.get(6), NO_DEADLINE));
            for (CompletableFuture<Prediction> f : burst) {
                assertEquals(6, f.get(60, TimeUnit.SECONDS).batchSize(), "the burst and the returning client ran as one batch");
            }

            // Those 6 clients come back one by one: the first waits for the other 5.
            CompletableFuture<Prediction> first = batcher.submit(images.get(7), NO_DEADLINE);
            awaitParkedWithEmptyQueue(batcher, first);
            assertFalse(first.isDone(), "the first returning client waits for the others the last batch answered");
            List<CompletableFuture<Prediction>> rest = submit(batcher, images.subList(8, 13));
            assertEquals(6, first.get(60, TimeUnit.SECONDS).batchSize());
            for (CompletableFuture<Prediction> f : rest) {
                assertEquals(6, f.get(60, TimeUnit.SECONDS).batchSize());
            }
        } finally {
            gate.release();
            batcher.close();
        }
    }

    @Test
    void warmUpAndKeepWarmPassesRunOnTheWorkerThreadAndAnswerNoOne() throws Exception {
        RecordingClassifier model = new RecordingClassifier(ModelBundle.load(bundle, Device.cpu()));
        List<Integer> answered = new CopyOnWriteArrayList<>();
        BatchSizes sizes = BatchSizes.of(8, List.of(1, 4));
        DynamicBatcher batcher = new DynamicBatcher("m", "1", List.of(model), sizes, HOUR, 64,
                TimeUnit.MILLISECONDS.toNanos(1), true, (n, s, q, c) -> answered.add(s));
        try {
            batcher.awaitWarm();
            assertTrue(model.batchSizes.size() >= 3, "warm-up ran before awaitWarm returned: " + model.batchSizes);
            // A snapshot: keep-warm passes append to the list while we read it.
            assertEquals(sizes.shapesToWarm(), List.copyOf(model.batchSizes).subList(0, 3), "warm-up runs every shape, in order");
            awaitTrue(() -> model.batchSizes.size() > 4, "an idle worker runs keep-warm passes");
            assertEquals(1, model.batchSizes.get(4), "a keep-warm pass runs the smallest shape");
            assertTrue(model.threads.stream().allMatch(t -> t.startsWith("batcher-m-v1-")),
                    "every pass ran on the batching worker: " + model.threads);
            assertTrue(answered.isEmpty(), "warm-up and keep-warm passes are no one's batch: " + answered);
            assertEquals(1, batcher.submit(images.get(0), NO_DEADLINE).get(60, TimeUnit.SECONDS).batchSize());
        } finally {
            batcher.close();
        }
    }

    private static List<CompletableFuture<Prediction>> submit(DynamicBatcher batcher, List<FloatImage> batch) throws Exception {
        List<CompletableFuture<Prediction>> futures = new ArrayList<>();
        for (FloatImage image : batch) {
            futures.add(batcher.submit(image, NO_DEADLINE));
        }
        return futures;
    }

    /** Until the worker has taken every queued request and waits (or {@code request} was answered). */
    private static void awaitParkedWithEmptyQueue(DynamicBatcher batcher, CompletableFuture<Prediction> request)
            throws InterruptedException {
        Thread worker = workerThread();
        awaitTrue(() -> request.isDone() || (batcher.queueDepth() == 0 && worker.getState() == Thread.State.TIMED_WAITING),
                "the worker takes the queued requests");
    }

    private static Thread workerThread() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("batcher-m-v1-0")).findFirst()
                .orElseThrow();
    }

    /** Polls a condition another thread makes true; fails after a minute, never passes on time alone. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < giveUp, "timed out waiting until " + what);
            Thread.sleep(1);
        }
    }
}
