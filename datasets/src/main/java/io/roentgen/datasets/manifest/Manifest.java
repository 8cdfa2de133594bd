package io.roentgen.datasets.manifest;

import io.roentgen.engine.RoentgenException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A list of labelled images: from a CSV ({@link #readCsv}) or a folder-per-class layout
 * ({@link #readFolder}).
 *
 * <p>Class order, which fixes the class indices a model is trained on: the names sorted by
 * {@link String#compareTo} (stable whatever the row order; the same rule as DJL's ImageFolder),
 * except for {@code labelColumns}, where it is the column order given, and an explicit
 * {@link ManifestOptions#withClassNames} list, which is used as is.
 *
 * @param root the folder that relative paths were resolved against
 * @param classNames the classes, index = position
 * @param multiLabel whether an image may carry zero or several classes
 * @param entries the images, in manifest (or sorted path) order
 */
public record Manifest(Path root, List<String> classNames, boolean multiLabel, List<ManifestEntry> entries) {

    public Manifest {
        Objects.requireNonNull(root, "root");
        classNames = List.copyOf(classNames);
        entries = List.copyOf(entries);
    }

    /** Reads a CSV manifest with at least {@code path} and {@code label} (or label) columns. */
    public static Manifest readCsv(Path csv, ManifestOptions options) throws RoentgenException {
        return new CsvManifestReader(csv, options).read();
    }

    /** Reads {@code root/<class>/**} DICOM files; patient IDs come from the resolver if any. */
    public static Manifest readFolder(Path root, ManifestOptions options) throws RoentgenException {
        return new FolderManifestReader(root, options).read();
    }

    public int classCount() {
        return classNames.size();
    }

    public int size() {
        return entries.size();
    }

    /** The same manifest with other entries (same classes). */
    public Manifest withEntries(List<ManifestEntry> newEntries) {
        return new Manifest(root, classNames, multiLabel, newEntries);
    }
}
