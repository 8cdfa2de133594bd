package io.roentgen.dicom.deid;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The optional mapping file (original to new Patient IDs and UIDs), written only when asked:
 * it re-identifies everything, so it is created readable by its owner alone.
 */
public final class MappingFile {
    private MappingFile() {}

    public static void write(Path file, Deidentifier deid) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("kind,original,new\n");
            rows(w, "PatientID", deid.patientIds());
            rows(w, "UID", deid.uids().recorded());
        }
    }

    private static void rows(Writer w, String kind, Map<String, String> map) throws IOException {
        for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
            w.write(kind + "," + csv(e.getKey()) + "," + csv(e.getValue()) + "\n");
        }
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
