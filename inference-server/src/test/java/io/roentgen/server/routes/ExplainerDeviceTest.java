package io.roentgen.server.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.models.explain.CamMethod;
import io.roentgen.models.explain.Explainer;
import io.roentgen.server.batching.BatchSizes;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.repository.ModelRepository;
import io.roentgen.server.repository.ServedModel;
import io.roentgen.server.testing.SmallBundles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's explainer runs on the device of the model it explains (the first replica's), not
 * always on the CPU: a GPU server explains on its GPU. Devices are compared as DJL's {@link Device}
 * values, which are equal by type and id.
 */
class ExplainerDeviceTest {
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

    /**
     * A server configured for GPU 3: the replicas are loaded for gpu(3) (the format stands in for
     * the GPU and loads on the CPU, so this runs anywhere) and the explainer is asked for gpu(3).
     * The recording loader then refuses, so nothing is ever placed on a GPU.
     */
    @Test
    void theExplainerIsLoadedOnTheDeviceOfTheModelsReplica() throws Exception {
        Device gpu = Device.gpu(3);
        List<Device> replicaDevices = new CopyOnWriteArrayList<>();
        ModelFormats standInForGpu = new ModelFormats().register("stand-in", dir -> true, (dir, device) -> {
            replicaDevices.add(device);
            return ModelBundle.load(dir, Device.cpu());
        });
        List<Device> explainerDevices = new CopyOnWriteArrayList<>();
        ModelRepository repository = repository(standInForGpu, gpu);
        try (ExplanationQueue explanations = new ExplanationQueue(ExplanationQueue.DEFAULT_CAPACITY, (bundle, device, layer) -> {
            explainerDevices.add(device);
            throw new RoentgenException("recorded, not loaded");
        })) {
            ServedModel model = repository.load("m");
            assertEquals(gpu, model.device());
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> explanations.submit(model, null, image, CamMethod.GRAD_CAM, null, null).get(60, TimeUnit.SECONDS));
            assertEquals("recorded, not loaded", refused.getCause().getMessage());
            assertEquals(List.of(gpu), replicaDevices);
            assertEquals(List.of(gpu), explainerDevices, "the explainer is asked for the replica's device");
        } finally {
            repository.close();
        }
    }

    /** On the CPU the explainer really loads where the classifier did, and explains. */
    @Test
    void onTheCpuTheExplainerRunsWhereTheClassifierDoes() throws Exception {
        List<Explainer> loaded = new CopyOnWriteArrayList<>();
        ModelRepository repository = repository(ModelFormats.standard(), Device.cpu());
        try (ExplanationQueue explanations = new ExplanationQueue(ExplanationQueue.DEFAULT_CAPACITY, (bundle, device, layer) -> {
            Explainer explainer = Explainer.load(bundle, device, layer);
            loaded.add(explainer);
            return explainer;
        })) {
            ServedModel model = repository.load("m");
            ExplanationQueue.Explained explained = explanations.submit(model, null, image, CamMethod.GRAD_CAM, null, null)
                    .get(60, TimeUnit.SECONDS);
            assertEquals(SIZE * SIZE, explained.explanation().map().length);
            assertTrue(explained.explanation().raw().max() >= 0);
            assertEquals(1, loaded.size());
            assertEquals(Device.cpu(), loaded.get(0).device());
            assertEquals(model.device(), loaded.get(0).device(), "the classifier's device");
        } finally {
            repository.close();
        }
    }

    private static ModelRepository repository(ModelFormats formats, Device device) {
        return repository(root, formats, device);
    }

    /** A repository of the bundles under {@code root}, one replica on {@code device}, batch 1, warmed up. */
    static ModelRepository repository(Path root, ModelFormats formats, Device device) {
        return new ModelRepository(root, formats, List.of(device),
                new ModelRepository.BatchSettings(BatchSizes.upTo(1), 0, 8, true, 0), (m, n, q, c) -> {});
    }
}
