package io.roentgen.datasets.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder manifest written as CSV reads back the same, quotes and commas in paths and labels included. */
class ManifestCsvWriterTest {
    @TempDir
    Path root;

    @Test
    void writesWhatReadCsvReadsBack() throws Exception {
        Path odd = root.resolve("data").resolve("class, \"quoted\"").resolve("a,b.dcm");
        Files.createDirectories(odd.getParent());
        Files.write(odd, new byte[] {1});
        Path plain = Files.createDirectories(root.resolve("data").resolve("normal")).resolve("x.dcm");
        Files.write(plain, new byte[] {1});
        Map<Path, String> patients = Map.of(odd.toAbsolutePath(), "P1", plain.toAbsolutePath(), "P2");
        ManifestOptions options = ManifestOptions.defaults().withPatientIdResolver(patients::get);
        Manifest folder = Manifest.readFolder(root.resolve("data"), options);

        Path csv = ManifestCsvWriter.writePathsAndLabels(folder, root.resolve("manifest.csv"));
        Manifest back = Manifest.readCsv(csv, options);

        assertEquals(folder.classNames(), back.classNames());
        assertEquals(folder.entries().stream().map(ManifestEntry::path).toList(),
                back.entries().stream().map(ManifestEntry::path).toList());
        assertEquals(folder.entries().stream().map(ManifestEntry::labelNames).toList(),
                back.entries().stream().map(ManifestEntry::labelNames).toList());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("path,label", lines.get(0));
        assertEquals('"' + odd.toAbsolutePath().toString().replace("\"", "\"\"") + "\",\"class, \"\"quoted\"\"\"",
                lines.get(1));
    }
}
