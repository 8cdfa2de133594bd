package io.roentgen.datasets;

import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.dicom.deid.IdentifierCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The warning {@code train} and {@code data inspect} print when a collection (a CSV manifest or a
 * folder) still carries patient identifiers: a sample of headers, checked by
 * {@link IdentifierCheck}. Anything unreadable yields no warning; the command reports it itself.
 */
public final class IdentifierWarning {
    private IdentifierWarning() {}

    public static Optional<String> check(Path manifestOrFolder) {
        try {
            return IdentifierCheck.warning(files(manifestOrFolder));
        } catch (Exception unreadable) {
            return Optional.empty();
        }
    }

    private static List<Path> files(Path target) throws Exception {
        if (Files.isDirectory(target)) {
            try (Stream<Path> walk = Files.walk(target)) {
                return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                        .filter(p -> !p.getFileName().toString().matches("(?i).*\\.(csv|json|png|jpe?g)$")).sorted().toList();
            }
        }
        if (!Files.isRegularFile(target)) {
            throw new IOException(target + ": not found");
        }
        Manifest m = Manifest.readCsv(target, ManifestOptions.defaults());
        return m.entries().stream().map(ManifestEntry::path).map(p -> m.root() == null ? p : m.root().resolve(p)).toList();
    }
}
