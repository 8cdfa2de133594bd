package io.roentgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.datasets.split.SplitAssignment;
import io.roentgen.datasets.split.SplitCounts;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `roentgen synth`, `data split` and `data inspect` on synthetic collections, re-read with the datasets API. */
class DataCommandsTest {
    @TempDir
    static Path dir;

    private static Path manifest;

    @BeforeAll
    static void synth() {
        CliRunner.Result r = CliRunner.run("synth", "--out", dir.resolve("ct").toString(), "--patients", "40",
                "--size", "32", "--seed", "5");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("(40 patients"), r.out());
        manifest = dir.resolve("ct/manifest.csv");
    }

    @Test
    void splitKeepsEveryPatientInOneSplitAndPrintsTheCountsOfTheCsv() throws Exception {
        Path out = dir.resolve("split.csv");
        CliRunner.Result r = CliRunner.run("data", "split", manifest.toString(), "--seed", "1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        Manifest reread = Manifest.readCsv(out, ManifestOptions.defaults());
        SplitAssignment assignment = SplitAssignment.fromSplitColumn(reread);
        assertEquals(0, assignment.patientsInSeveralGroups());
        assertEquals(Manifest.readCsv(manifest, ManifestOptions.defaults()).size(), reread.size());
        assertTrue(r.out().contains(SplitCounts.of(assignment).toTable()), r.out());
        assertTrue(r.out().contains("Patients in more than one split: 0"), r.out());
        Map<String, String> splitOfPatient = new HashMap<>();
        for (ManifestEntry entry : reread.entries()) {
            String earlier = splitOfPatient.putIfAbsent(entry.patientId(), entry.split());
            assertTrue(earlier == null || earlier.equals(entry.split()), entry.patientId() + " in two splits");
        }
        assertEquals(3, splitOfPatient.values().stream().distinct().count(), "train, validation and test all used");

        Path again = dir.resolve("again.csv");
        assertEquals(0, CliRunner.run("data", "split", manifest.toString(), "--seed", "1", "--out", again.toString()).exitCode());
        assertEquals(Files.readString(out), Files.readString(again), "same seed, same split");
    }

    @Test
    void foldsKeepEveryPatientInOneFoldAndTheJsonCountsMatchTheCsv() throws Exception {
        Path out = dir.resolve("folds.csv");
        CliRunner.Result r = CliRunner.run("data", "split", manifest.toString(), "--folds", "4", "--seed", "2",
                "--out", out.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        JsonObject counts = json.getAsJsonObject("counts");
        assertEquals("fold", counts.get("column").getAsString());
        JsonArray perFold = counts.getAsJsonObject("total").getAsJsonArray("images");
        assertEquals(4, perFold.size());

        List<String> lines = Files.readAllLines(out);
        assertEquals("path,label,patient_id,study_uid,fold", lines.get(0));
        Map<String, String> foldOfPatient = new HashMap<>();
        int[] imagesPerFold = new int[4];
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            String earlier = foldOfPatient.putIfAbsent(cells[2], cells[4]);
            assertTrue(earlier == null || earlier.equals(cells[4]), cells[2] + " in two folds");
            imagesPerFold[Integer.parseInt(cells[4])]++;
        }
        for (int fold = 0; fold < 4; fold++) {
            assertEquals(imagesPerFold[fold], perFold.get(fold).getAsInt());
        }
        assertEquals(0, json.get("patientsInSeveralGroups").getAsInt());
    }

    @Test
    void badFilesAreSkippedAndListedOrFailTheSplit() throws Exception {
        Path copy = dir.resolve("damaged");
        CliRunner.run("synth", "--out", copy.toString(), "--patients", "6", "--size", "32");
        Path victim = copy.resolve("patient-0001/study-1/series-1/image-1.dcm");
        try (FileChannel channel = FileChannel.open(victim, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
        Files.writeString(copy.resolve("readme.dcm"), "just text\n");
        // a synth manifest has five columns: path, label, patient_id, study_uid, lesions
        Files.writeString(copy.resolve("manifest.csv"), "readme.dcm,normal,TEXT1,,\n", StandardOpenOption.APPEND);

        CliRunner.Result skipped = CliRunner.run("data", "split", copy.resolve("manifest.csv").toString(), "--json");
        assertEquals(0, skipped.exitCode(), skipped.err());
        JsonArray list = JsonParser.parseString(skipped.out()).getAsJsonObject().getAsJsonArray("skipped");
        assertEquals(2, list.size(), skipped.out());
        list.forEach(e -> assertEquals(List.of("path", "reason"), List.copyOf(e.getAsJsonObject().keySet()), skipped.out()));
        assertTrue(skipped.out().contains("truncated"), skipped.out());

        CliRunner.Result failed = CliRunner.run("data", "split", copy.resolve("manifest.csv").toString(), "--on-bad-file", "fail");
        assertEquals(1, failed.exitCode());
        assertTrue(failed.err().contains(victim.toString()), failed.err());

        CliRunner.Result inspect = CliRunner.run("data", "inspect", copy.toString());
        assertEquals(0, inspect.exitCode(), inspect.err());
        assertTrue(inspect.out().contains("Unusable files:"), inspect.out());
        assertTrue(inspect.out().contains("readme.dcm: not readable DICOM"), inspect.out());
        assertTrue(inspect.out().contains("image-1.dcm: truncated"), inspect.out());
    }

    @Test
    void inspectSummarisesModalitiesSizesSyntaxesPhotometricAndLabels() throws Exception {
        Path cr = dir.resolve("cr");
        CliRunner.Result synth = CliRunner.run("synth", "--out", cr.toString(), "--patients", "12", "--size", "48",
                "--modality", "CR", "--transfer-syntax", "rle", "--seed", "3", "--json");
        assertEquals(0, synth.exitCode(), synth.err());
        int images = JsonParser.parseString(synth.out()).getAsJsonObject().get("images").getAsInt();

        CliRunner.Result r = CliRunner.run("data", "inspect", cr.resolve("manifest.csv").toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(images, json.get("usable").getAsInt());
        assertEquals(12, json.get("patients").getAsInt());
        assertEquals(images, json.getAsJsonObject("modalities").get("CR").getAsInt());
        assertEquals(images, json.getAsJsonObject("sizes").get("48 x 48").getAsInt());
        assertEquals(images, json.getAsJsonObject("transferSyntaxes").get("RLE Lossless").getAsInt());
        JsonObject photometric = json.getAsJsonObject("photometric");
        int mono1 = photometric.has("MONOCHROME1") ? photometric.get("MONOCHROME1").getAsInt() : 0;
        int mono2 = photometric.has("MONOCHROME2") ? photometric.get("MONOCHROME2").getAsInt() : 0;
        assertEquals(images, mono1 + mono2);
        JsonObject labels = json.getAsJsonObject("labels");
        assertEquals(images, labels.get("normal").getAsInt() + labels.get("nodule").getAsInt());

        CliRunner.Result text = CliRunner.run("data", "inspect", cr.resolve("manifest.csv").toString());
        assertTrue(text.out().contains("Transfer syntax  RLE Lossless: " + images), text.out());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, CliRunner.run("synth", "--out", dir.resolve("x").toString(), "--modality", "XR").exitCode());
        assertEquals(2, CliRunner.run("synth", "--out", dir.resolve("y").toString(), "--classes", "normal").exitCode());
        assertEquals(2, CliRunner.run("synth", "--out", dir.resolve("ct").toString()).exitCode(), "not empty");
        assertEquals(2, CliRunner.run("data", "split", manifest.toString(), "--val", "0.6", "--test", "0.5").exitCode());
        assertEquals(2, CliRunner.run("data", "split", manifest.toString(), "--on-bad-file", "maybe").exitCode());
    }
}
