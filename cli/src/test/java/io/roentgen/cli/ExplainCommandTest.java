package io.roentgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.testing.ExternalTool;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.bundle.ModelBundle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code roentgen explain} end to end: a bundle of the {@code small} network, two DICOM files, the
 * maps written as PNG, JSON and a Secondary Capture that dicom3tools' {@code dciodvfy} finds no
 * error in and dcmtk's {@code dcmdump} reads as DERIVED\SECONDARY, referencing the source.
 */
class ExplainCommandTest {
    @TempDir
    static Path dir;
    private static Path bundle;

    @BeforeAll
    static void bundleAndImages() throws Exception {
        EngineSettings.fromEnvironment().apply();
        ArchitectureSpec spec = ArchitectureSpec.of("small", 1, 2).withImageSize(SyntheticBlobDicom.SIZE);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block block = Architectures.build(spec);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, SyntheticBlobDicom.SIZE, SyntheticBlobDicom.SIZE));
            bundle = ModelBundle.writer().name("blobs").architecture(spec).block(block)
                    .preprocessing(PreprocessingSpec.standard(SyntheticBlobDicom.SIZE, 1)).labels(List.of("no blob", "blob"))
                    .thresholds(new float[] {0.5f, 0.5f}).build().writeDirectory(dir.resolve("bundle"));
        }
        Files.createDirectories(dir.resolve("in"));
        SyntheticBlobDicom.write(dir.resolve("in/a.dcm"), 1, true, 1);
        SyntheticBlobDicom.write(dir.resolve("in/b.dcm"), 2, false, 1);
    }

    @Test
    void writesOverlaysRawMapsAndAValidSecondaryCapture() throws Exception {
        Path out = dir.resolve("maps");
        CliRunner.Result r = CliRunner.run("explain", "--model", bundle.toString(), dir.resolve("in").toString(),
                "--out", out.toString(), "--method", "gradcam++", "--class", "blob", "--dicom", "sc", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonArray reports = JsonParser.parseString(r.out()).getAsJsonArray();
        assertEquals(2, reports.size());
        JsonObject first = reports.get(0).getAsJsonObject();
        assertEquals("blob", first.get("label").getAsString());
        assertEquals("gradcam++", first.get("method").getAsString());
        assertEquals("relu3", first.get("layer").getAsString());
        assertEquals(first.get("mapHeight").getAsInt() * first.get("mapWidth").getAsInt(),
                first.getAsJsonArray("rawMap").size());

        BufferedImage png = ImageIO.read(out.resolve("a.png").toFile());
        assertEquals(SyntheticBlobDicom.SIZE, png.getWidth());
        assertTrue(Files.exists(out.resolve("b.json")));

        Path sc = out.resolve("a.sc.dcm");
        ExternalTool.Output verify = ExternalTool.exec(dir, Duration.ofSeconds(60), "dciodvfy", sc.toString());
        String all = verify.stdout() + verify.stderr();
        List<String> errors = all.lines().filter(l -> l.startsWith("Error")).collect(Collectors.toList());
        assertTrue(errors.isEmpty(), "dciodvfy:\n" + all);
        assertTrue(all.contains("SCImage") || all.contains("SC"), "dciodvfy did not recognise a Secondary Capture:\n" + all);

        String dump = ExternalTool.run(dir, "dcmdump", "+P", "0008,0008", "+P", "0008,1155", "+P", "0028,0004", sc.toString());
        DicomObject source = DicomReader.defaults().read(dir.resolve("in/a.dcm"));
        assertTrue(dump.contains("DERIVED\\SECONDARY"), dump);
        assertTrue(dump.contains(source.getString(Tag.SOPInstanceUID)), dump);
        assertTrue(dump.contains("RGB"), dump);
        DicomObject read = DicomReader.defaults().read(sc);
        assertEquals(source.getString(Tag.StudyInstanceUID), read.getString(Tag.StudyInstanceUID));
        assertTrue(read.getString(Tag.DerivationDescription).contains("NOT FOR DIAGNOSTIC USE"));
    }

    @Test
    void writesAValidFractionalSegmentationCodedWithTheBundlesCodes() throws Exception {
        Path coded = dir.resolve("coded");
        Files.createDirectories(coded);
        try (var files = Files.list(bundle)) {
            for (Path f : files.toList()) {
                Files.copy(f, coded.resolve(f.getFileName().toString()));
            }
        }
        JsonObject manifest = JsonParser.parseString(Files.readString(coded.resolve("model.json"))).getAsJsonObject();
        manifest.add("codes", JsonParser.parseString("{\"blob\": {\"value\": \"27925004\", \"scheme\": \"SCT\","
                + " \"meaning\": \"Nodule\"}}"));
        Files.writeString(coded.resolve("model.json"), manifest.toString());
        Path out = dir.resolve("seg");
        CliRunner.Result r = CliRunner.run("explain", "--model", coded.toString(), dir.resolve("in/a.dcm").toString(),
                "--out", out.toString(), "--class", "blob", "--dicom", "seg");
        assertEquals(0, r.exitCode(), r.err());
        Path seg = out.resolve("a.seg.dcm");
        ExternalTool.Output verify = ExternalTool.exec(dir, Duration.ofSeconds(60), "dciodvfy", "-new", seg.toString());
        String all = verify.stdout() + verify.stderr();
        assertTrue(all.lines().noneMatch(l -> l.startsWith("Error")), "dciodvfy:\n" + all);
        assertTrue(all.contains("Segmentation"), "dciodvfy did not recognise a Segmentation:\n" + all);
        String dump = ExternalTool.run(dir, "dcmdump", seg.toString());
        assertTrue(dump.contains("[FRACTIONAL]") && dump.contains("[PROBABILITY]"), dump);
        assertTrue(dump.contains("[27925004]") && dump.contains("[Nodule]"), dump);
        DicomObject source = DicomReader.defaults().read(dir.resolve("in/a.dcm"));
        assertTrue(dump.contains(source.getString(Tag.SOPInstanceUID)), dump);
    }

    @Test
    void anUnknownClassOrLayerIsAUsageError() {
        CliRunner.Result r = CliRunner.run("explain", "--model", bundle.toString(), dir.resolve("in/a.dcm").toString(),
                "--out", dir.resolve("x").toString(), "--class", "tumour");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("unknown class 'tumour'"), r.err());
        r = CliRunner.run("explain", "--model", bundle.toString(), dir.resolve("in/a.dcm").toString(),
                "--out", dir.resolve("x").toString(), "--layer", "layer9");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("unknown layer 'layer9'") && r.err().contains("conv1"), r.err());
        assertFalse(Files.exists(dir.resolve("x/a.png")));
    }
}
