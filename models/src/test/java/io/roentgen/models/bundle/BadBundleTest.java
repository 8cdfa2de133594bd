package io.roentgen.models.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken and hostile bundles end in one RoentgenException that says what is wrong and where. */
class BadBundleTest {
    @TempDir
    Path dir;
    private Path good;

    @BeforeAll
    static void engine() {
        TestBundles.applyEngineSettings();
    }

    @BeforeEach
    void writeGoodBundle() throws RoentgenException {
        ArchitectureSpec spec = TestBundles.spec();
        try (NDManager manager = TestBundles.cpuManager()) {
            good = TestBundles.writer(TestBundles.initialisedBlock(manager, spec), spec).writeDirectory(dir.resolve("good"));
        }
    }

    private String load(Path bundle) {
        return assertThrows(RoentgenException.class, () -> ModelBundle.load(bundle, Device.cpu()).close()).getMessage();
    }

    private String modelJson() throws IOException {
        return Files.readString(good.resolve("model.json"));
    }

    private void editModelJson(String from, String to) throws IOException {
        String json = modelJson();
        assertTrue(json.contains(from), from);
        Files.writeString(good.resolve("model.json"), json.replace(from, to));
    }

    @Test
    void missingBundle() {
        assertEquals(dir.resolve("nope") + ": no such model bundle (a directory or a .zip)", load(dir.resolve("nope")));
    }

    @Test
    void missingWeights() throws IOException {
        Files.delete(good.resolve("weights.params"));
        assertEquals(good + ": bundle has no weights.params", load(good));
    }

    @Test
    void missingModelJson() throws IOException {
        Files.delete(good.resolve("model.json"));
        assertEquals(good + ": bundle has no model.json", load(good));
    }

    @Test
    void badJson() throws IOException {
        Files.writeString(good.resolve("model.json"), modelJson().substring(0, 200));
        String message = load(good);
        assertTrue(message.startsWith(good + "/model.json: not valid JSON: "), message);
    }

    @Test
    void missingField() throws IOException {
        editModelJson("\"task\": \"multi-class\",", "");
        assertEquals(good + "/model.json: \"task\" is missing", load(good));
    }

    @Test
    void wrongType() throws IOException {
        editModelJson("\"channels\": 1,\n    \"height\"", "\"channels\": \"one\",\n    \"height\"");
        assertEquals(good + "/model.json: \"input\": \"channels\" must be a number, got \"one\"", load(good));
    }

    @Test
    void unknownArchitecture() throws IOException {
        editModelJson("\"name\": \"small\"", "\"name\": \"vgg99\"");
        assertEquals("unknown architecture 'vgg99'; known: small, resnet18, resnet34, resnet50, densenet121, mobilenet_v2",
                load(good));
    }

    @Test
    void unknownMajorFormatVersion() throws IOException {
        editModelJson("\"formatVersion\": \"1.0\"", "\"formatVersion\": \"2.0\"");
        assertEquals(good + "/model.json: bundle format version 2.0 is not supported: this Roentgen reads version 1.x "
                + "bundles", load(good));
    }

    @Test
    void newerMinorFormatVersionStillLoads() throws Exception {
        editModelJson("\"formatVersion\": \"1.0\"", "\"formatVersion\": \"1.7\", \"someFutureField\": [1, 2]");
        ModelBundle.load(good, Device.cpu()).close();
    }

    @Test
    void unknownFormat() throws IOException {
        editModelJson("\"format\": \"roentgen\"", "\"format\": \"onnx\"");
        assertEquals("unknown bundle format 'onnx'; known: roentgen, torchscript", load(good));
    }

    @Test
    void labelsThatDoNotMatchTheArchitecture() throws IOException {
        editModelJson("\"blob\"\n", "\"blob\", \"third\"\n");
        assertEquals(good + "/model.json: the architecture has 2 outputs but there are 3 labels", load(good));
    }

    @Test
    void weightsOfAnotherShape() throws IOException {
        // Claim three classes throughout: the weights hold a two-class output layer.
        editModelJson("\"numClasses\": 2", "\"numClasses\": 3");
        editModelJson("\"blob\"\n", "\"blob\", \"third\"\n");
        String message = load(good);
        // DJL prefixes the parameter name with its block index; the rest is ours.
        assertTrue(message.matches(java.util.regex.Pattern.quote(good + "/weights.params: parameter ") + "\\d+fc2_weight"
                + java.util.regex.Pattern.quote(" has shape (2, 64) but 'small' for 1x32x32 input and 3 labels needs (3, 64)")),
                message);
    }

    @Test
    void truncatedWeights() throws IOException {
        byte[] weights = Files.readAllBytes(good.resolve("weights.params"));
        Files.write(good.resolve("weights.params"), Arrays.copyOf(weights, weights.length / 2));
        String message = load(good);
        assertTrue(message.startsWith(good + "/weights.params: cannot load the weights of 'small': "), message);
    }

    @Test
    void weightsOfAnotherArchitecture() throws IOException {
        Files.write(good.resolve("weights.params"), new byte[] {'P', 1, 0, 3, 'a', 'b', 'c'});
        String message = load(good);
        assertTrue(message.startsWith(good + "/weights.params: cannot load the weights of 'small': "), message);
    }

    @Test
    void garbageTorchScript() throws IOException {
        Path ts = TestBundles.copyResourceDirectory("torchscript-tiny", dir.resolve("ts"));
        Files.write(ts.resolve("model.pt"), "not a torchscript archive".getBytes());
        String message = load(ts);
        assertTrue(message.startsWith(ts + "/model.pt: cannot load TorchScript model.pt: "), message);
        assertFalse(message.contains("\n"), "one line: " + message);
    }

    @Test
    void zipSlipEntryIsRefusedAndNothingIsWritten() throws IOException {
        Path zip = dir.resolve("evil.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("model.json"));
            z.write(Files.readAllBytes(good.resolve("model.json")));
            z.putNextEntry(new ZipEntry("../../evil.txt"));
            z.write("pwned".getBytes());
            z.putNextEntry(new ZipEntry("weights.params"));
            z.write(Files.readAllBytes(good.resolve("weights.params")));
        }
        assertEquals(zip + ": refused: entry '../../evil.txt' points outside the archive (path traversal); "
                + "nothing was extracted", load(zip));
        assertFalse(Files.exists(dir.resolve("evil.txt")));
        assertFalse(Files.exists(dir.getParent().resolve("evil.txt")));
    }

    @Test
    void absoluteEntryIsRefused() throws IOException {
        Path zip = dir.resolve("abs.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("/etc/model.json"));
            z.write('x');
        }
        assertTrue(load(zip).contains("points outside the archive"));
    }

    @Test
    void entryInflatingPastTheCapIsRefused() throws IOException {
        Path zip = dir.resolve("bomb.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("weights.params"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 4; i++) {
                z.write(zeros); // 4 MiB of zeros deflate to a few KiB
            }
        }
        assertTrue(Files.size(zip) < 64 * 1024);
        RoentgenException e = assertThrows(RoentgenException.class, () -> ZipBundleFiles.read(zip, 1 << 20));
        assertEquals(zip + ": refused: entry 'weights.params' inflates past 1048576 bytes for the whole bundle; "
                + "not a model bundle", e.getMessage());
    }

    @Test
    void notAZip() throws IOException {
        Path file = dir.resolve("model.zip");
        Files.writeString(file, "hello");
        assertEquals(file + ": not a model bundle (neither a directory nor a zip with model.json)", load(file));
    }
}
