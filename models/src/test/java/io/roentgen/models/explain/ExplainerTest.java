package io.roentgen.models.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.bundle.ModelBundle;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explainer's contract around the maps: repeated calls give the same map (no gradient
 * accumulates between calls), the calling thread's grad mode is restored, maps are never inverted
 * and a map without evidence stays zero, layers are found by torchvision's names, and TorchScript
 * bundles are refused with a reason.
 */
class ExplainerTest {
    private static final int SIZE = 64;

    @TempDir
    static Path dir;
    private static Path bundle;

    @BeforeAll
    static void bundle() throws RoentgenException {
        EngineSettings.fromEnvironment().apply();
        ArchitectureSpec spec = new ArchitectureSpec("resnet18", 1, 2, SIZE, false);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block block = Architectures.build(spec);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, SIZE, SIZE));
            bundle = ModelBundle.writer().name("r18").architecture(spec).block(block)
                    .preprocessing(PreprocessingSpec.standard(SIZE, 1)).labels(List.of("normal", "nodule"))
                    .thresholds(new float[] {0.5f, 0.5f}).build().writeDirectory(dir.resolve("r18"));
        }
    }

    @Test
    void repeatedCallsGiveTheSameMapAndRestoreGradMode() throws Exception {
        FloatImage image = noise(1);
        try (Explainer explainer = Explainer.load(bundle, Device.cpu(), null)) {
            assertEquals("layer4", explainer.layer());
            JniUtils.setGradMode(false);
            Explanation first = explainer.explain(image, CamMethod.GRAD_CAM, "nodule");
            assertFalse(JniUtils.isGradMode(), "grad mode was left on");
            for (int i = 0; i < 3; i++) {
                Explanation again = explainer.explain(image, CamMethod.GRAD_CAM, "nodule");
                assertArrayEquals(first.raw().map(), again.raw().map(), 1e-6f * Math.max(1, first.raw().max()));
            }
            assertEquals(2 * 2, first.raw().map().length, "resnet18's layer4 is 2 x 2 at 64 px");
            assertEquals(SIZE * SIZE, first.map().length);
            Explanation predicted = explainer.explain(image, CamMethod.GRAD_CAM_PLUS_PLUS, null);
            assertEquals(predicted.scores().top(), predicted.label());
            byte[] png = Overlay.png(image, first.map());
            assertEquals(SIZE, ImageIO.read(new ByteArrayInputStream(png)).getWidth());
        }
        try (Explainer explainer = Explainer.load(bundle, Device.cpu(), "layer3")) {
            assertEquals(4 * 4, explainer.explain(image, CamMethod.GRAD_CAM, "nodule").raw().map().length);
        }
    }

    @Test
    void normalisedMapsAreNeverInvertedAndZeroStaysZero() {
        float[] map = CamMaps.normalise(new float[] {0, 2, 4, 1});
        assertArrayEquals(new float[] {0, 0.5f, 1, 0.25f}, map);
        assertArrayEquals(new float[4], CamMaps.normalise(new float[4]));
        float[] resized = CamMaps.resize(new float[] {0, 1, 2, 3}, 2, 2, 4, 4);
        // half-pixel centres, edges clamped: as cv2.resize and interpolate(align_corners=False)
        assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1, 0.5f, 0.75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f,
            2, 2.25f, 2.75f, 3}, resized, 1e-6f);
        assertEquals(15, CamMaps.argMax(resized));
    }

    @Test
    void unknownLayersAndTorchScriptAreRefusedWithAReason() throws Exception {
        RoentgenException layer = assertThrows(RoentgenException.class, () -> Explainer.load(bundle, Device.cpu(), "layer9"));
        assertTrue(layer.getMessage().contains("layer4") && layer.isUsageError(), layer.getMessage());
        RoentgenException output = assertThrows(RoentgenException.class, () -> Explainer.load(bundle, Device.cpu(), "fc"));
        assertTrue(output.getMessage().contains("output"), output.getMessage());
        Path torchScript = Path.of(ExplainerTest.class.getResource("/bundle/torchscript-tiny").toURI());
        RoentgenException ts = assertThrows(RoentgenException.class, () -> Explainer.load(torchScript, Device.cpu(), null));
        assertTrue(ts.getMessage().contains("TorchScript bundles are not explainable"), ts.getMessage());
        assertTrue(Files.exists(torchScript.resolve("model.pt")));
    }

    private static FloatImage noise(long seed) {
        Random random = new Random(seed);
        float[] data = new float[SIZE * SIZE];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return new FloatImage(data, 1, SIZE, SIZE);
    }
}
