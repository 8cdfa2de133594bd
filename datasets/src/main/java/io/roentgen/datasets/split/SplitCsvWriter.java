package io.roentgen.datasets.split;

import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.engine.RoentgenException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a split as a CSV manifest that {@link Manifest#readCsv} reads back: {@code path} (relative
 * to the CSV's folder where possible), {@code label} (names joined with {@code |}; label columns are
 * written this way too, so read it back with multi-label), {@code patient_id}, {@code study_uid}
 * and the assignment's column ({@code split} or {@code fold}). Written to a temporary file and
 * moved into place, so a reader never sees half a split.
 */
public final class SplitCsvWriter {
    private SplitCsvWriter() {}

    public static void write(SplitAssignment assignment, Path csv) throws RoentgenException {
        Path target = csv.toAbsolutePath().normalize();
        Path folder = target.getParent();
        try {
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, target.getFileName().toString(), ".tmp");
            try {
                writeRows(assignment, folder, temporary);
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new RoentgenException(csv + ": cannot write split: " + e.getMessage(), false, e);
        }
    }

    private static void writeRows(SplitAssignment assignment, Path folder, Path file) throws IOException {
        List<ManifestEntry> entries = assignment.manifest().entries();
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT)) {
            printer.printRecord("path", "label", "patient_id", "study_uid", assignment.column());
            for (int i = 0; i < entries.size(); i++) {
                ManifestEntry entry = entries.get(i);
                printer.printRecord(relative(folder, entry.path()), String.join("|", entry.labelNames()),
                        blankIfNull(entry.patientId()), blankIfNull(entry.studyUid()),
                        assignment.groups().get(assignment.groupOfEntry().get(i)));
            }
        }
    }

    private static String relative(Path folder, Path image) {
        Path relative = folder.relativize(image.toAbsolutePath());
        return relative.toString().replace('\\', '/');
    }

    private static String blankIfNull(String value) {
        return value == null ? "" : value;
    }
}
