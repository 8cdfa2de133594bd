package io.roentgen.models.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.Classifier;
import io.roentgen.models.Scores;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TorchScript module saved by PyTorch 1.13 (make-torchscript-fixture.py) loads in DJL's libtorch
 * 2.7.1 and gives PyTorch's own logits for a fixed input, from a directory and from a zip.
 */
class TorchScriptBundleTest {
    private static final float TOLERANCE = 1e-4f;

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        TestBundles.applyEngineSettings();
    }

    @Test
    void logitsAndProbabilitiesMatchPyTorch() throws Exception {
        JsonObject expected = JsonParser.parseString(TestBundles.resourceText("torchscript-tiny-expected.json")).getAsJsonObject();
        Path bundle = TestBundles.copyResourceDirectory("torchscript-tiny", dir.resolve("torchscript-tiny"));
        try (LoadedClassifier model = (LoadedClassifier) ModelBundle.load(bundle, Device.cpu());
             NDManager scope = model.manager().newSubManager()) {
            assertEquals("torchscript", model.card().format());
            float[] logits = model.forward(scope, scope.create(fixedInput(), new Shape(2, 1, 32, 32))).toFloatArray();
            assertArrayEquals(flatten(expected.getAsJsonArray("logits")), logits, TOLERANCE);
            List<Scores> scores = model.predict(images());
            float[] probabilities = new float[4];
            System.arraycopy(scores.get(0).probabilities(), 0, probabilities, 0, 2);
            System.arraycopy(scores.get(1).probabilities(), 0, probabilities, 2, 2);
            assertArrayEquals(flatten(expected.getAsJsonArray("probabilities")), probabilities, TOLERANCE);
            assertEquals("blob", scores.get(0).top());
            assertArrayEquals(scores.get(1).probabilities(), model.predict(images()).get(1).probabilities(),
                    "same image, same scores");
        }
    }

    @Test
    void aZippedTorchScriptBundleInAFolderLoadsTheSame() throws Exception {
        Path bundle = TestBundles.copyResourceDirectory("torchscript-tiny", dir.resolve("torchscript-tiny"));
        Path zip = dir.resolve("tiny.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (String name : List.of("model.json", "model.pt")) {
                z.putNextEntry(new ZipEntry("torchscript-tiny/" + name));
                z.write(Files.readAllBytes(bundle.resolve(name)));
                z.closeEntry();
            }
        }
        try (Classifier fromDir = ModelBundle.load(bundle, Device.cpu());
             Classifier fromZip = ModelBundle.load(zip, Device.cpu())) {
            assertArrayEquals(fromDir.predict(images()).get(0).probabilities(),
                    fromZip.predict(images()).get(0).probabilities());
        }
    }

    @Test
    void aModuleWhoseOutputsDoNotMatchTheLabelsIsRefusedAtLoad() throws IOException {
        Path bundle = TestBundles.copyResourceDirectory("torchscript-tiny", dir.resolve("three"));
        Path json = bundle.resolve("model.json");
        Files.writeString(json, Files.readString(json).replace("\"labels\": [", "\"labels\": [\"third\", ")
                .replace("\"thresholds\": {", "\"thresholds\": {\"third\": 0.5, "));
        RoentgenException e = org.junit.jupiter.api.Assertions.assertThrows(RoentgenException.class,
                () -> ModelBundle.load(bundle, Device.cpu()));
        assertEquals("model 'torchscript-tiny' returned logits of shape (1, 2) for 1 images; model.json has 3 labels, "
                + "so (1, 3) was expected", e.getMessage());
    }

    private static float[] fixedInput() {
        float[] x = new float[2 * 32 * 32];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 17) / 16f - 0.5f;
        }
        return x;
    }

    private static List<FloatImage> images() {
        float[] x = fixedInput();
        return List.of(new FloatImage(java.util.Arrays.copyOfRange(x, 0, 1024), 1, 32, 32),
                new FloatImage(java.util.Arrays.copyOfRange(x, 1024, 2048), 1, 32, 32));
    }

    private static float[] flatten(JsonArray rows) {
        float[] flat = new float[rows.size() * rows.get(0).getAsJsonArray().size()];
        int k = 0;
        for (var row : rows) {
            for (var v : row.getAsJsonArray()) {
                flat[k++] = v.getAsFloat();
            }
        }
        return flat;
    }
}
