package io.roentgen.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;
import io.roentgen.dicom.sr.AlgorithmId;
import io.roentgen.dicom.sr.ClassProbability;
import io.roentgen.dicom.sr.LabelCodes;
import io.roentgen.dicom.sr.MeasurementReportWriter;
import io.roentgen.dicom.sr.ReportOptions;
import io.roentgen.dicom.sr.ScoredImage;
import io.roentgen.dicom.sr.SourceImage;
import io.roentgen.dicom.sr.StudyReport;
import io.roentgen.dicom.testing.ExternalTool;
import io.roentgen.dicom.testing.SrValidation;
import io.roentgen.server.export.StudyReports;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code roentgen train --codes}: the codes are checked against the labels before training,
 * written into model.json, and read back by the SR exporter, so a trained bundle's SR carries them
 * (as dsrdump shows).
 */
class TrainCodesTest {
    private static final String CODES = "{\"normal\": {\"scheme\": \"SCT\", \"value\": \"17621005\", \"meaning\": \"Normal\"},"
            + " \"nodule\": {\"scheme\": \"SCT\", \"value\": \"27925004\", \"meaning\": \"Nodule\"}}";

    @TempDir
    static Path temp;

    private static Path manifest;

    @BeforeAll
    static void synth() {
        Path data = temp.resolve("data");
        assertEquals(0, CliRunner.run("synth", "--out", data.toString(), "--patients", "16", "--size", "32").exitCode());
        manifest = data.resolve("manifest.csv");
    }

    @Test
    void aTrainedBundlesSrCarriesTheCodes() throws Exception {
        Path codes = Files.writeString(temp.resolve("codes.json"), CODES);
        Path run = temp.resolve("run");
        CliRunner.Result r = CliRunner.run("train", "--data", manifest.toString(), "--arch", "small", "--image-size", "32",
                "--epochs", "1", "--batch-size", "8", "--out", run.toString(), "--seed", "3", "--codes", codes.toString());
        assertEquals(0, r.exitCode(), r.err());
        Path bundle = run.resolve("bundle");
        JsonObject written = JsonParser.parseString(Files.readString(bundle.resolve("model.json"))).getAsJsonObject()
                .getAsJsonObject("codes");
        assertEquals("27925004", written.getAsJsonObject("nodule").get("value").getAsString());
        assertEquals("SCT", written.getAsJsonObject("normal").get("scheme").getAsString());
        // The bundle still loads and predicts with codes in its model.json.
        CliRunner.Result predicted = CliRunner.run("predict", "--model", bundle.toString(), manifest.getParent().toString(),
                "--format", "json");
        assertEquals(0, predicted.exitCode(), predicted.err());

        LabelCodes read = StudyReports.labelCodes(bundle);
        StudyReport report = new StudyReport(new AlgorithmId("run", "1", null), read, List.of(new ScoredImage(
                SourceImage.of(ctImage()), List.of(new ClassProbability("normal", 0.25), new ClassProbability("nodule", 0.75)))));
        Path sr = temp.resolve("sr.dcm");
        DicomWriter.explicitLittleEndian().write(new MeasurementReportWriter(ReportOptions.defaults()).write(report), sr);
        assertEquals(List.of(), SrValidation.dsrdump(sr));
        String dump = ExternalTool.exec(null, Duration.ofSeconds(60), "dsrdump", sr.toString()).stdout();
        assertTrue(dump.contains("(27925004,SCT,\"Nodule\")"), dump);
        assertTrue(dump.contains("(17621005,SCT,\"Normal\")"), dump);
    }

    @Test
    void codesThatMissALabelOrAPartStopTrainingBeforeItStarts() throws Exception {
        Path missing = Files.writeString(temp.resolve("missing.json"),
                "{\"normal\": {\"scheme\": \"SCT\", \"value\": \"17621005\", \"meaning\": \"Normal\"}}");
        CliRunner.Result r = train(missing, "run-missing");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("nodule"), r.err());
        assertFalse(Files.exists(temp.resolve("run-missing").resolve("metrics.jsonl")), "nothing trained");

        Path blank = Files.writeString(temp.resolve("blank.json"), CODES.replace("\"SCT\", \"value\": \"27925004\"",
                "\"\", \"value\": \"27925004\""));
        r = train(blank, "run-blank");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("'nodule' needs value, scheme and meaning"), r.err());

        Path extra = Files.writeString(temp.resolve("extra.json"), CODES.replace("}}", "}, \"mass\": {\"scheme\": \"SCT\", "
                + "\"value\": \"4147007\", \"meaning\": \"Mass\"}}"));
        r = train(extra, "run-extra");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("'mass' is not a label"), r.err());
    }

    private static CliRunner.Result train(Path codes, String run) {
        return CliRunner.run("train", "--data", manifest.toString(), "--arch", "small", "--image-size", "32", "--epochs", "1",
                "--batch-size", "8", "--out", temp.resolve(run).toString(), "--codes", codes.toString());
    }

    private static DicomObject ctImage() {
        DicomObject d = new DicomObject();
        d.putString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
        d.putString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1137.19.7");
        d.putString(Tag.StudyInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1137.19.8");
        d.putString(Tag.SeriesInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1137.19.9");
        d.putString(Tag.Modality, VR.CS, "CT");
        return d;
    }
}
