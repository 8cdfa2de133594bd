package io.roentgen.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.ModelCard;
import io.roentgen.models.Scores;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.InferenceBlocks;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roentgen-format bundles: save, load from a directory and a zip, same scores as the model in memory. */
class ModelBundleTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        TestBundles.applyEngineSettings();
    }

    @Test
    void savedAndLoadedBundlesScoreExactlyLikeTheModelInMemory() throws RoentgenException {
        ArchitectureSpec spec = TestBundles.spec();
        List<FloatImage> images = TestBundles.images(5, 11);
        float[][] expected;
        try (NDManager manager = TestBundles.cpuManager()) {
            Block block = TestBundles.initialisedBlock(manager, spec);
            // A loaded bundle scores with the inference form of the network (batch norm folded).
            expected = inMemoryProbabilities(InferenceBlocks.forInference(block, manager), manager, images);
            float[][] unfolded = inMemoryProbabilities(block, manager, images);
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(unfolded[i], expected[i], 1e-5f, "folded against unfolded, image " + i);
            }
            BundleWriter writer = TestBundles.writer(block, spec);
            writer.writeDirectory(dir.resolve("blobs"));
            writer.writeZip(dir.resolve("blobs.zip"));
        }
        for (Path bundle : List.of(dir.resolve("blobs"), dir.resolve("blobs.zip"))) {
            try (Classifier model = ModelBundle.load(bundle, Device.cpu())) {
                List<Scores> first = model.predict(images);
                List<Scores> again = model.predict(images);
                for (int i = 0; i < images.size(); i++) {
                    assertArrayEquals(expected[i], first.get(i).probabilities(), bundle + " image " + i);
                    assertArrayEquals(first.get(i).probabilities(), again.get(i).probabilities(), "same image, same scores");
                }
                // One image alone scores as it does in a batch (no batch-dependent layers at inference).
                Scores alone = model.predict(images.subList(2, 3)).get(0);
                assertArrayEquals(first.get(2).probabilities(), alone.probabilities(), 1e-6f);
            }
        }
    }

    @Test
    void multiLabelBundlesGiveASigmoidPerLabelAndCallEachAgainstItsThreshold() throws RoentgenException {
        ArchitectureSpec spec = TestBundles.spec().withMultiLabel(true);
        List<FloatImage> images = TestBundles.images(6, 2);
        float[][] logits;
        try (NDManager manager = TestBundles.cpuManager()) {
            Block block = TestBundles.initialisedBlock(manager, spec);
            logits = inMemoryLogits(block, manager, images);
            TestBundles.writer(block, spec).writeDirectory(dir.resolve("multi"));
        }
        try (Classifier model = ModelBundle.load(dir.resolve("multi"), Device.cpu())) {
            assertTrue(model.card().multiLabel());
            List<Scores> scores = model.predict(images);
            for (int i = 0; i < images.size(); i++) {
                List<String> called = new java.util.ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    float p = scores.get(i).probabilities()[c];
                    assertEquals(1 / (1 + Math.exp(-logits[i][c])), p, 1e-6);
                    if (p >= model.card().thresholds()[c]) {
                        called.add(TestBundles.LABELS.get(c));
                    }
                }
                assertEquals(called, scores.get(i).predicted());
            }
        }
    }

    @Test
    void theCardAndManifestCarryWhatWasWritten() throws RoentgenException {
        ArchitectureSpec spec = TestBundles.spec();
        try (NDManager manager = TestBundles.cpuManager()) {
            TestBundles.writer(TestBundles.initialisedBlock(manager, spec), spec).writeZip(dir.resolve("b.zip"));
        }
        BundleManifest m = ModelBundle.readManifest(dir.resolve("b.zip"));
        assertEquals(spec, m.architecture());
        assertEquals(new InputShape(1, 32, 32), m.input());
        assertEquals(0.91, m.metrics().get("macroAuroc"));
        assertEquals("ab12", m.provenance().manifestSha256());
        assertEquals(42L, m.provenance().seed());
        assertEquals("2.7.1", m.provenance().pytorchVersion());
        assertEquals("0.36.0", m.provenance().djlVersion());
        assertTrue(m.provenance().created().endsWith("Z"), m.provenance().created());
        try (Classifier model = ModelBundle.load(dir.resolve("b.zip"), Device.cpu())) {
            ModelCard card = model.card();
            assertEquals("blobs", card.name());
            assertEquals("3", card.version());
            assertEquals("roentgen", card.format());
            assertEquals(TestBundles.LABELS, card.labels());
            assertArrayEquals(new float[] {0.5f, 0.37f}, card.thresholds());
            assertEquals(m.preprocessing(), model.preprocessing());
        }
    }

    @Test
    void predictionsRunWithoutGradientsAndLeaveTheCallersGradModeAlone() throws RoentgenException {
        ArchitectureSpec spec = TestBundles.spec();
        try (NDManager manager = TestBundles.cpuManager()) {
            TestBundles.writer(TestBundles.initialisedBlock(manager, spec), spec).writeDirectory(dir.resolve("g"));
        }
        try (LoadedClassifier model = (LoadedClassifier) ModelBundle.load(dir.resolve("g"), Device.cpu());
             NDManager scope = model.manager().newSubManager()) {
            JniUtils.setGradMode(true);
            model.predict(TestBundles.images(2, 3));
            assertTrue(JniUtils.isGradMode(), "grad mode restored for the caller");
            JniUtils.setGradMode(false);
            NDArray logits = model.forward(scope, scope.zeros(new Shape(1, 1, 32, 32)));
            assertTrue(!logits.hasGradient() && !JniUtils.requiresGrad((ai.djl.pytorch.engine.PtNDArray) logits),
                    "no autograd graph at inference");
        } finally {
            JniUtils.setGradMode(true);
        }
    }

    @Test
    void nativeMemoryStaysFlatOverManyPredictions() throws RoentgenException {
        ArchitectureSpec spec = TestBundles.spec();
        try (NDManager manager = TestBundles.cpuManager()) {
            TestBundles.writer(TestBundles.initialisedBlock(manager, spec), spec).writeDirectory(dir.resolve("m"));
        }
        List<FloatImage> images = TestBundles.images(4, 5);
        try (LoadedClassifier model = (LoadedClassifier) ModelBundle.load(dir.resolve("m"), Device.cpu())) {
            model.predict(images);
            int live = model.manager().getManagedArrays().size();
            for (int i = 0; i < 200; i++) {
                model.predict(images.subList(0, 1 + i % images.size()));
            }
            assertEquals(live, model.manager().getManagedArrays().size(), "live NDArrays after 200 calls");
        }
    }

    @Test
    void aWrongImageShapeIsAClearError() throws RoentgenException {
        ArchitectureSpec spec = TestBundles.spec();
        try (NDManager manager = TestBundles.cpuManager()) {
            TestBundles.writer(TestBundles.initialisedBlock(manager, spec), spec).writeDirectory(dir.resolve("s"));
        }
        try (Classifier model = ModelBundle.load(dir.resolve("s"), Device.cpu())) {
            RoentgenException e = org.junit.jupiter.api.Assertions.assertThrows(RoentgenException.class,
                    () -> model.predict(List.of(FloatImage.zeros(3, 32, 32))));
            assertEquals("image 0 of the batch is 3x32x32 but model 'blobs' takes 1x32x32 (use the bundle's preprocessing)",
                    e.getMessage());
        }
    }

    private static float[][] inMemoryLogits(Block block, NDManager manager, List<FloatImage> images) {
        try (NDManager scope = manager.newSubManager()) {
            float[] flat = new float[images.size() * 32 * 32];
            for (int i = 0; i < images.size(); i++) {
                System.arraycopy(images.get(i).data(), 0, flat, i * 32 * 32, 32 * 32);
            }
            NDArray logits = block.forward(new ParameterStore(scope, false),
                    new NDList(scope.create(flat, new Shape(images.size(), 1, 32, 32))), false).head();
            float[][] rows = new float[images.size()][];
            for (int i = 0; i < images.size(); i++) {
                rows[i] = logits.get(i).toFloatArray();
            }
            return rows;
        }
    }

    private static float[][] inMemoryProbabilities(Block block, NDManager manager, List<FloatImage> images) {
        try (NDManager scope = manager.newSubManager()) {
            float[][] rows = new float[images.size()][];
            float[] flat = new float[images.size() * 32 * 32];
            for (int i = 0; i < images.size(); i++) {
                System.arraycopy(images.get(i).data(), 0, flat, i * 32 * 32, 32 * 32);
            }
            NDArray x = scope.create(flat, new Shape(images.size(), 1, 32, 32));
            NDArray p = block.forward(new ParameterStore(scope, false), new NDList(x), false).head().softmax(1);
            for (int i = 0; i < images.size(); i++) {
                rows[i] = p.get(i).toFloatArray();
            }
            return rows;
        }
    }
}
