package io.roentgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code roentgen deid} on a synthetic collection (which carries names and birth dates):
 * {@code data inspect} warns before and not after, a second run resumes, a short key and an
 * unknown option value are usage errors, and the mapping file appears only with --map-out.
 */
class DeidCommandTest {
    @TempDir
    Path dir;

    @Test
    void deidentifiesResumesAndSilencesTheWarning() throws Exception {
        CliRunner.Result synth = CliRunner.run("synth", "--out", dir.resolve("ct").toString(), "--patients", "3", "--size", "32", "--seed", "2");
        assertEquals(0, synth.exitCode(), synth.err());
        CliRunner.Result before = CliRunner.run("data", "inspect", dir.resolve("ct").toString());
        assertTrue(before.err().contains("roentgen deid"), "inspect warns about identifiers: " + before.err());

        Path key = dir.resolve("project.key");
        Files.write(key, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});
        Path out = dir.resolve("deid");
        Path map = dir.resolve("map.csv");
        CliRunner.Result r = CliRunner.run("deid", dir.resolve("ct").toString(), "--out", out.toString(), "--key-file", key.toString(),
                "--retain-longitudinal", "modified", "--map-out", map.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err() + r.out());
        JsonObject report = JsonParser.parseString(r.out()).getAsJsonObject();
        int written = report.get("written").getAsInt();
        assertTrue(written > 0, r.out());
        assertTrue(r.err().contains("deid " + report.get("files").getAsInt() + "/"), "a progress line: " + r.err());
        assertTrue(Files.readString(map).startsWith("kind,original,new"));

        List<Path> outputs;
        try (Stream<Path> walk = Files.walk(out)) {
            outputs = walk.filter(p -> p.toString().endsWith(".dcm")).toList();
        }
        assertEquals(written, outputs.size());
        DicomObject ds = DicomReader.defaults().read(outputs.get(0));
        assertEquals("YES", ds.getString(0x00120062));
        assertEquals("MODIFIED", ds.getString(0x00280303));
        assertEquals(null, ds.getString(Tag.PatientName));

        CliRunner.Result after = CliRunner.run("data", "inspect", out.toString());
        assertFalse(after.err().contains("roentgen deid"), "no warning on de-identified data: " + after.err());

        CliRunner.Result again = CliRunner.run("deid", dir.resolve("ct").toString(), "--out", out.toString(), "--key-file", key.toString(),
                "--retain-longitudinal", "modified");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("0 written, " + written + " already done"), again.out());
    }

    @Test
    void aFileNotDeidentifiedIsListedWithItsPathThenItsReason() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("notes.dcm"), "just text\n");
        Path key = dir.resolve("k.key");
        Files.writeString(key, "0123456789abcdef0123");
        CliRunner.Result r = CliRunner.run("deid", in.toString(), "--out", dir.resolve("o").toString(), "--key-file", key.toString(), "--json");
        JsonObject report = JsonParser.parseString(r.out()).getAsJsonObject();
        List<String> keys = new java.util.ArrayList<>();
        report.getAsJsonArray("refused").forEach(e -> keys.addAll(e.getAsJsonObject().keySet()));
        report.getAsJsonArray("failed").forEach(e -> keys.addAll(e.getAsJsonObject().keySet()));
        // Scripts read this; the keys came in the order of a Map.of, which changes from JVM to JVM.
        assertEquals(List.of("path", "reason"), keys, r.out());
    }

    @Test
    void usageErrors() throws Exception {
        Path shortKey = dir.resolve("short.key");
        Files.writeString(shortKey, "tooshort\n");
        CliRunner.Result r = CliRunner.run("deid", dir.toString(), "--out", dir.resolve("o").toString(), "--key-file", shortKey.toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("at least 16"), r.err());
        Path key = dir.resolve("ok.key");
        Files.writeString(key, "0123456789abcdef0123");
        CliRunner.Result bad = CliRunner.run("deid", dir.toString(), "--out", dir.resolve("o").toString(), "--key-file", key.toString(),
                "--retain-longitudinal", "sometimes");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("full or modified"), bad.err());
    }
}
