package io.roentgen.models.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.sr.Code;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;

/**
 * The bundle's {@code "codes"}: written by the writer (every label coded), read back by
 * {@link BundleJson}; reading accepts a partial set (hand-edited bundles) but not a broken code.
 */
class BundleCodesTest {
    private static final Map<String, Code> CODES = Map.of(
            "no blob", new Code("17621005", "SCT", "Normal"), "blob", new Code("27925004", "SCT", "Nodule"));

    @TempDir
    Path tmp;

    @Test
    void codesAreWrittenAndReadBack() throws Exception {
        ArchitectureSpec spec = TestBundles.spec();
        try (NDManager manager = TestBundles.cpuManager()) {
            Block block = TestBundles.initialisedBlock(manager, spec);
            Path dir = builder(block, spec).codes(CODES).build().writeDirectory(tmp.resolve("coded"));
            BundleManifest read = BundleJson.read(Files.readString(dir.resolve("model.json")), "model.json");
            assertEquals(CODES, read.codes());
            Path plain = builder(block, spec).build().writeDirectory(tmp.resolve("plain"));
            assertFalse(Files.readString(plain.resolve("model.json")).contains("\"codes\""), "no codes, no key");

            RoentgenException missing = assertThrows(RoentgenException.class,
                    () -> builder(block, spec).codes(Map.of("blob", CODES.get("blob"))).build());
            assertTrue(missing.getMessage().contains("[no blob]"), missing.getMessage());
            RoentgenException unknown = assertThrows(RoentgenException.class, () -> builder(block, spec)
                    .codes(Map.of("blob", CODES.get("blob"), "no blob", CODES.get("no blob"), "mass", CODES.get("blob")))
                    .build());
            assertTrue(unknown.getMessage().contains("'mass' is not a label"), unknown.getMessage());
        }
    }

    @Test
    void readingTakesPartialCodesButNotBrokenOnes() throws Exception {
        ArchitectureSpec spec = TestBundles.spec();
        String json;
        try (NDManager manager = TestBundles.cpuManager()) {
            json = BundleJson.write(builder(TestBundles.initialisedBlock(manager, spec), spec).build().manifest());
        }
        String partial = json.replaceFirst("\\{", "{\"codes\": {\"blob\": {\"value\": \"27925004\", \"scheme\": \"SCT\", "
                + "\"meaning\": \"Nodule\"}},");
        assertEquals(Map.of("blob", CODES.get("blob")), BundleJson.read(partial, "model.json").codes());
        String broken = json.replaceFirst("\\{", "{\"codes\": {\"blob\": {\"value\": \"27925004\", \"scheme\": \"\", "
                + "\"meaning\": \"Nodule\"}},");
        RoentgenException e = assertThrows(RoentgenException.class, () -> BundleJson.read(broken, "model.json"));
        assertTrue(e.getMessage().contains("'blob' needs value, scheme and meaning"), e.getMessage());
    }

    private static BundleWriter.Builder builder(Block block, ArchitectureSpec spec) {
        return ModelBundle.writer().name("blobs").architecture(spec).block(block)
                .preprocessing(PreprocessingSpec.standard(spec.imageSize(), spec.inChannels())).labels(TestBundles.LABELS);
    }
}
