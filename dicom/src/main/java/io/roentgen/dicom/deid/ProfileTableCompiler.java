package io.roentgen.dicom.deid;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step (dicom/pom.xml, process-classes): reads PS3.15 Table E.1-1 from the standard's JSON
 * and writes it in {@link ProfileTable}'s compact form next to the compiled class, so a run loads
 * 621 rows without parsing 120 kB of JSON (docs/DECISIONS.md, "The profile table, compiled at
 * build time"). {@code ProfileTableCompiledTest} checks the result against the JSON.
 *
 * <p>{@code java io.roentgen.dicom.deid.ProfileTableCompiler CLASSES_DIR}
 */
public final class ProfileTableCompiler {
    private ProfileTableCompiler() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ProfileTableCompiler CLASSES_DIR");
        }
        Path target = Path.of(args[0], ProfileTable.class.getPackageName().replace('.', '/'), ProfileTable.COMPACT_RESOURCE);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try (OutputStream file = Files.newOutputStream(temp);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file))) {
            ProfileTable.loadJson().writeCompact(out);
        }
        Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
