package io.roentgen.server.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The batcher reports a full queue, a passed deadline and a failed forward pass in its own terms. */
class BatchFailureTest {
    private static final ModelCard CARD = new ModelCard("m", "1", "test", List.of("a", "b"), false, 1, 4, 4,
            new float[] {0.5f, 0.5f});
    private static final FloatImage IMAGE = FloatImage.zeros(1, 4, 4);
    private static final long LATER = TimeUnit.MINUTES.toNanos(5);

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        StubClassifier classifier = new StubClassifier(null);
        try (DynamicBatcher batcher = batcher(classifier, 1)) {
            CompletableFuture<Prediction> first = batcher.submit(IMAGE, System.nanoTime() + LATER);
            classifier.entered.await(); // the worker holds the first request in its forward pass
            CompletableFuture<Prediction> queued = batcher.submit(IMAGE, System.nanoTime() + LATER);
            BatchFailure.QueueFull full = assertThrows(BatchFailure.QueueFull.class,
                    () -> batcher.submit(IMAGE, System.nanoTime() + LATER));
            assertEquals("m", full.model());
            assertTrue(full.getMessage().contains("queue of model 'm' is full"), full.getMessage());
            classifier.release.countDown();
            assertEquals(1, first.get(1, TimeUnit.MINUTES).batchSize());
            assertEquals("m", queued.get(1, TimeUnit.MINUTES).model());
        }
    }

    @Test
    void aRequestPastItsDeadlineIsDroppedBeforeTheForwardPass() throws Exception {
        StubClassifier classifier = new StubClassifier(null);
        classifier.release.countDown();
        try (DynamicBatcher batcher = batcher(classifier, 4)) {
            CompletableFuture<Prediction> late = batcher.submit(IMAGE, System.nanoTime() - 1);
            ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(1, TimeUnit.MINUTES));
            assertInstanceOf(BatchFailure.DeadlinePassed.class, e.getCause());
            assertEquals(0, classifier.images.size(), "no forward pass ran for it");
        }
    }

    @Test
    void aFailedForwardPassFailsEveryRequestOfItsBatch() throws Exception {
        RoentgenException engine = new RoentgenException("engine broke");
        StubClassifier classifier = new StubClassifier(engine);
        classifier.release.countDown();
        try (DynamicBatcher batcher = batcher(classifier, 4)) {
            CompletableFuture<Prediction> request = batcher.submit(IMAGE, System.nanoTime() + LATER);
            ExecutionException e = assertThrows(ExecutionException.class, () -> request.get(1, TimeUnit.MINUTES));
            BatchFailure.Failed failed = assertInstanceOf(BatchFailure.Failed.class, e.getCause());
            assertSame(engine, failed.getCause());
            assertTrue(failed.getMessage().contains("engine broke"), failed.getMessage());
        }
    }

    private static DynamicBatcher batcher(Classifier classifier, int queueCapacity) {
        return new DynamicBatcher("m", "1", List.of(classifier), BatchSizes.of(1, List.of()), 0, queueCapacity,
                BatchListener.NONE);
    }

    /** Answers 0.5/0.5 once released, or throws the given failure; records the images it saw. */
    private static final class StubClassifier implements Classifier {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<FloatImage> images = new ArrayList<>();
        private final RoentgenException failure;

        StubClassifier(RoentgenException failure) {
            this.failure = failure;
        }

        @Override
        public ModelCard card() {
            return CARD;
        }

        @Override
        public PreprocessingSpec preprocessing() {
            return PreprocessingSpec.standard(4, 1);
        }

        @Override
        public List<Scores> predict(List<FloatImage> batch) throws RoentgenException {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            images.addAll(batch);
            if (failure != null) {
                throw failure;
            }
            List<Scores> scores = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                scores.add(new Scores(CARD.labels(), new float[] {0.5f, 0.5f}, List.of("a"), CARD.thresholds()));
            }
            return scores;
        }

        @Override
        public void close() {
        }
    }
}
