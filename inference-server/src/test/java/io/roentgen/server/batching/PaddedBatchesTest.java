package io.roentgen.server.batching;

import ai.djl.Device;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.Classifier;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.server.testing.RecordingClassifier;
import io.roentgen.server.testing.SmallBundles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Padding a batch up to a preferred size changes no request's scores and never answers a padded row. */
class PaddedBatchesTest {
    static final int SIZE = 32;
    static final long NO_DEADLINE = Long.MAX_VALUE;
    /**
     * Not bit-exact: oneDNN blocks convolutions by batch size, so the same image already scores a
     * few ulps apart in unpadded batches of 2 and 4 (3e-8 seen). A row mixed up with another would
     * be off by far more (checked below).
     */
    static final float TOLERANCE = 1e-6f;

    @TempDir
    Path dir;

    @Test
    void everyRequestGetsTheScoresOfItsUnpaddedBatch() throws Exception {
        EngineSettings.fromEnvironment().apply();
        Path bundle = SmallBundles.write(dir.resolve("small"), SIZE, 5);
        int[] groups = {3, 5, 1, 7, 9, 2, 13, 16, 6};
        List<FloatImage> images = SmallBundles.images(java.util.Arrays.stream(groups).sum(), SIZE, 9);

        // The reference: each group as one unpadded batch, straight into the classifier.
        List<float[]> expected = new ArrayList<>();
        try (Classifier reference = ModelBundle.load(bundle, Device.cpu())) {
            int at = 0;
            for (int group : groups) {
                reference.predict(images.subList(at, at + group)).forEach(s -> expected.add(s.probabilities()));
                at += group;
            }
        }

        int start = 0;
        for (int group : groups) {
            for (int i = start; i < start + group; i++) {
                for (int j = i + 1; j < start + group; j++) {
                    assertTrue(Math.abs(expected.get(i)[1] - expected.get(j)[1]) > 10 * TOLERANCE,
                            "images " + i + " and " + j + " must score apart for this test to see mix-ups in a batch: " + expected.get(i)[1] + " vs " + expected.get(j)[1]);
                }
            }
            start += group;
        }

        RecordingClassifier model = new RecordingClassifier(ModelBundle.load(bundle, Device.cpu()));
        List<Integer> answeredSizes = new CopyOnWriteArrayList<>();
        BatchListener listener = (name, size, queued, compute) -> answeredSizes.add(size);
        // A long queue delay so each group, submitted at once, forms one batch.
        DynamicBatcher batcher = new DynamicBatcher("m", "1", List.of(model), BatchSizes.of(16, List.of(1, 4, 8)),
                TimeUnit.MILLISECONDS.toNanos(200), 64, listener);
        try {
            int at = 0;
            for (int group : groups) {
                List<CompletableFuture<Prediction>> futures = new ArrayList<>();
                for (FloatImage image : images.subList(at, at + group)) {
                    futures.add(batcher.submit(image, NO_DEADLINE));
                }
                for (int i = 0; i < group; i++) {
                    Prediction p = futures.get(i).get(30, TimeUnit.SECONDS);
                    assertArrayEquals(expected.get(at + i), p.scores().probabilities(), TOLERANCE, "image " + (at + i));
                    assertTrue(p.batchSize() <= group, "a prediction counts only real rows, got " + p.batchSize());
                }
                at += group;
            }
        } finally {
            batcher.close();
        }
        assertTrue(Set.of(1, 4, 8, 16).containsAll(model.batchSizes), "forward passes ran at " + model.batchSizes);
        assertTrue(model.batchSizes.stream().mapToInt(Integer::intValue).sum() > images.size(), "some rows were padding");
        assertEquals(images.size(), answeredSizes.stream().mapToInt(Integer::intValue).sum(),
                "answered rows are the submitted ones, never padding");
    }
}
