package io.roentgen.server.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.DutyCycle;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.models.explain.Explainer;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.repository.ServedModel;
import io.roentgen.server.testing.SmallBundles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explanation worker keeps to its share of wall time: after each real explanation it rests in
 * proportion to the explanation's time, once the answer has gone. The rests are recorded, not
 * slept, so nothing here depends on the machine's speed.
 */
class ExplanationPacingTest {
    static final int SIZE = 64;

    @TempDir
    static Path root;
    static FloatImage image;

    @BeforeAll
    static void bundle() throws Exception {
        EngineSettings.fromEnvironment().apply();
        SmallBundles.write(root.resolve("m").resolve("1"), SIZE, 5);
        image = SmallBundles.images(1, SIZE, 6).get(0);
    }

    @Test
    void dutyCycleRestsInProportionToTheWork() {
        assertEquals(3_000, new DutyCycle(0.25).restAfter(1_000));
        assertEquals(1_000, new DutyCycle(0.5).restAfter(1_000));
        assertEquals(0, new DutyCycle(1.0).restAfter(1_000), "a share of 1 never rests");
        assertEquals(0, new DutyCycle(0.25).restAfter(0));
        assertThrows(IllegalArgumentException.class, () -> new DutyCycle(0));
        assertThrows(IllegalArgumentException.class, () -> new DutyCycle(1.5));
        assertThrows(IllegalArgumentException.class, () -> new DutyCycle(Double.NaN));
    }

    /**
     * Share 1/4: each explanation is followed by a rest of three times its own time, after its
     * answer. The recorded rest waits until the test has the answer in hand; a worker that rested
     * before answering would wait out the 20 s and record false.
     */
    @Test
    void theWorkerRestsAfterEachExplanationInProportionToIt() throws Exception {
        List<Long> rests = new CopyOnWriteArrayList<>();
        List<Boolean> answeredBeforeRest = new CopyOnWriteArrayList<>();
        Semaphore answered = new Semaphore(0);
        ModelRepository repository = repository();
        try (ExplanationQueue explanations = new ExplanationQueue(ExplanationQueue.DEFAULT_CAPACITY, 0.25,
                Explainer::load, pause -> {
                    rests.add(pause);
                    answeredBeforeRest.add(answered.tryAcquire(20, TimeUnit.SECONDS));
                })) {
            ServedModel model = repository.load("m");
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                ExplanationQueue.Explained explained = explanations.submit(model, null, image, CamMethod.GRAD_CAM, null, null)
                        .get(60, TimeUnit.SECONDS);
                long wall = System.nanoTime() - start;
                answered.release();
                assertEquals(SIZE * SIZE, explained.explanation().map().length);
                waitFor(rests, i + 1);
                long rest = rests.get(i);
                assertTrue(rest > 0, "a rest after explanation " + i);
                assertTrue(rest <= 3 * wall, "rest " + rest + " ns is at most 3x the explanation's " + wall + " ns");
            }
            waitFor(answeredBeforeRest, 3);
            assertEquals(List.of(true, true, true), answeredBeforeRest, "the answer goes before the rest");
        } finally {
            repository.close();
        }
    }

    /** Share 1: the worker never rests (the old behaviour, `--explain-share 1`). */
    @Test
    void aFullShareNeverRests() throws Exception {
        List<Long> rests = new CopyOnWriteArrayList<>();
        ModelRepository repository = repository();
        try (ExplanationQueue explanations = new ExplanationQueue(ExplanationQueue.DEFAULT_CAPACITY, 1.0,
                Explainer::load, rests::add)) {
            ServedModel model = repository.load("m");
            for (int i = 0; i < 2; i++) {
                explanations.submit(model, null, image, CamMethod.GRAD_CAM, null, null).get(60, TimeUnit.SECONDS);
            }
        } finally {
            repository.close();
        }
        assertEquals(List.of(), rests);
    }

    private static void waitFor(List<?> recorded, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (recorded.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(count, recorded.size(), "rests recorded");
    }

    private static ModelRepository repository() {
        return ExplainerDeviceTest.repository(root, ModelFormats.standard(), Device.cpu());
    }
}
