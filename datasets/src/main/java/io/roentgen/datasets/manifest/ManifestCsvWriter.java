package io.roentgen.datasets.manifest;

import io.roentgen.engine.RoentgenException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a manifest as the smallest CSV that {@link Manifest#readCsv} reads back: {@code path}
 * (absolute) and {@code label} (names joined with {@code |}), quoted by commons-csv where a cell
 * needs it.
 */
public final class ManifestCsvWriter {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build();

    private ManifestCsvWriter() {}

    /** Writes {@code csv} and returns it. */
    public static Path writePathsAndLabels(Manifest manifest, Path csv) throws RoentgenException {
        try (Writer writer = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
                CSVPrinter printer = new CSVPrinter(writer, FORMAT)) {
            printer.printRecord("path", "label");
            for (ManifestEntry entry : manifest.entries()) {
                printer.printRecord(entry.path().toAbsolutePath().toString(), String.join("|", entry.labelNames()));
            }
            return csv;
        } catch (IOException e) {
            throw new RoentgenException(csv + ": cannot write: " + e.getMessage(), false, e);
        }
    }
}
