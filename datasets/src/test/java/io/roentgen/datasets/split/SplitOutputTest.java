package io.roentgen.datasets.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.engine.RoentgenException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitOutputTest {
    @TempDir
    Path dir;

    @Test
    void splitCsvIsAManifestThatReadsBackWithItsSplit() throws Exception {
        StringBuilder csv = new StringBuilder("path,label,patient_id,notes\n");
        for (int i = 0; i < 40; i++) {
            Files.write(Files.createDirectories(dir.resolve("images")).resolve("i" + i + ".dcm"), new byte[] {1});
            csv.append("images/i").append(i).append(".dcm,").append(i % 3 == 0 ? "nodule|effusion" : i % 3 == 1 ? "effusion" : "")
                    .append(',').append(i % 4 == 0 ? "" : "P" + i / 2).append(",x\n");
        }
        Manifest manifest = Manifest.readCsv(Files.writeString(dir.resolve("in.csv"), csv), ManifestOptions.defaults().withMultiLabel());
        SplitAssignment assignment = PatientSplitter.trainValidationTest(manifest, SplitFractions.defaults(), 11);

        Path out = dir.resolve("splits/split.csv");
        SplitCsvWriter.write(assignment, out);
        assertTrue(Files.readAllLines(out).get(0).equals("path,label,patient_id,study_uid,split"));
        Manifest back = Manifest.readCsv(out, ManifestOptions.defaults().withMultiLabel());

        assertEquals(manifest.classNames(), back.classNames());
        for (int i = 0; i < manifest.size(); i++) {
            ManifestEntry original = manifest.entries().get(i);
            ManifestEntry written = back.entries().get(i);
            assertEquals(original.path(), written.path());
            assertEquals(original.labelIndices(), written.labelIndices());
            assertEquals(original.patientId(), written.patientId());
            assertEquals(assignment.groups().get(assignment.groupOfEntry().get(i)), written.split());
            assertEquals(assignment.toManifest().entries().get(i).split(), written.split());
        }
        try (var files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList(), "no temporary file left");
        }
    }

    @Test
    void readsAndChecksASplitTheManifestAlreadyNames() throws Exception {
        for (int i = 0; i < 4; i++) {
            Files.write(dir.resolve("i" + i + ".dcm"), new byte[] {1});
        }
        Path csv = Files.writeString(dir.resolve("given.csv"), "path,label,patient_id,split\n"
                + "i0.dcm,a,P1,train\ni1.dcm,b,P2,val\ni2.dcm,a,P1,TEST\ni3.dcm,b,,train\n");
        SplitAssignment given = SplitAssignment.fromSplitColumn(Manifest.readCsv(csv, ManifestOptions.defaults()));
        assertEquals(List.of(0, 1, 2, 0), given.groupOfEntry());
        assertEquals(1, given.patientsInSeveralGroups(), "P1 is in train and test");
        assertEquals(0, PatientSplitter.trainValidationTest(given.manifest(), SplitFractions.defaults(), 1).patientsInSeveralGroups());

        Path bad = Files.writeString(dir.resolve("bad.csv"), "path,label,split\ni0.dcm,a,train\ni1.dcm,a,holdout\n");
        RoentgenException e = assertThrows(RoentgenException.class,
                () -> SplitAssignment.fromSplitColumn(Manifest.readCsv(bad, ManifestOptions.defaults())));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void countsTableAndJsonAgree() {
        Manifest manifest = SplitManifests.onePerPatient(20, 10);
        SplitAssignment folds = PatientSplitter.kFold(manifest, 2, 3);
        SplitCounts counts = SplitCounts.of(folds);
        assertEquals(List.of(10, 10), counts.classes().get(0).images());
        assertEquals(List.of(5, 5), counts.classes().get(1).patients());
        assertEquals(List.of(15, 15), counts.total().images());

        String table = counts.toTable();
        assertEquals("class   fold 0   fold 1\n"
                + "class0  10 (10)  10 (10)\n"
                + "class1  5 (5)    5 (5)\n"
                + "total   15 (15)  15 (15)\n", table);

        JsonObject json = JsonParser.parseString(counts.toJson()).getAsJsonObject();
        assertEquals("fold", json.get("column").getAsString());
        assertEquals("class1", json.getAsJsonArray("classes").get(1).getAsJsonObject().get("name").getAsString());
        assertEquals(15, json.getAsJsonObject("total").getAsJsonArray("images").get(0).getAsInt());
    }
}
