package io.roentgen.datasets.manifest;

import io.roentgen.dicom.DicomException;
import io.roentgen.engine.RoentgenException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads a folder-per-class layout: {@code root/<class>/**} holds that class's images. Images are
 * files named {@code *.dcm} or {@code *.dicom} (any case) and other files that start with the
 * 128-byte DICOM preamble and {@code DICM}; hidden files and folders are skipped, other files
 * ignored. Classes are the sub-folder names, sorted; entries are sorted by path within a class.
 */
final class FolderManifestReader {
    private static final int MAGIC_OFFSET = 128;
    private static final byte[] MAGIC = {'D', 'I', 'C', 'M'};

    private final Path root;
    private final ManifestOptions options;

    FolderManifestReader(Path root, ManifestOptions options) {
        this.root = root.toAbsolutePath().normalize();
        this.options = options;
    }

    Manifest read() throws RoentgenException {
        if (!Files.isDirectory(root)) {
            throw new RoentgenException(root + ": not a folder");
        }
        List<String> classNames = options.classNames().isEmpty() ? classFolders() : options.classNames();
        List<ManifestEntry> entries = new ArrayList<>();
        for (int classIndex = 0; classIndex < classNames.size(); classIndex++) {
            String className = classNames.get(classIndex);
            for (Path file : imagesIn(root.resolve(className))) {
                try {
                    String patientId = options.patientIdResolver().patientIdOf(file);
                    entries.add(new ManifestEntry(0, file, List.of(classIndex), List.of(className), patientId, null, null));
                } catch (IOException | DicomException e) {
                    skipOrFail(file, e);
                }
            }
        }
        return new Manifest(root, classNames, false, entries);
    }

    private List<String> classFolders() throws RoentgenException {
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory)
                    .map(child -> child.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new RoentgenException(root + ": cannot list: " + e.getMessage(), false, e);
        }
    }

    private List<Path> imagesIn(Path classFolder) throws RoentgenException {
        if (!Files.isDirectory(classFolder)) {
            throw new RoentgenException(classFolder + ": class folder missing");
        }
        try (Stream<Path> files = Files.walk(classFolder)) {
            List<Path> candidates = files.filter(Files::isRegularFile)
                    .filter(file -> !isHidden(classFolder.relativize(file)))
                    .sorted()
                    .toList();
            List<Path> images = new ArrayList<>();
            for (Path file : candidates) {
                if (isDicom(file)) {
                    images.add(file);
                }
            }
            return images;
        } catch (IOException e) {
            throw new RoentgenException(classFolder + ": cannot list: " + e.getMessage(), false, e);
        }
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDicom(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".dcm") || name.endsWith(".dicom") || hasDicmMagic(file);
    }

    private static boolean hasDicmMagic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC_OFFSET + MAGIC.length);
            if (head.length != MAGIC_OFFSET + MAGIC.length) {
                return false;
            }
            for (int i = 0; i < MAGIC.length; i++) {
                if (head[MAGIC_OFFSET + i] != MAGIC[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A file whose header cannot be read: an error, or a bad file to skip. */
    private void skipOrFail(Path file, Exception e) throws RoentgenException {
        String reason = "cannot read the patient ID: " + e.getMessage();
        if (options.badFiles() == null) {
            throw new RoentgenException(file + ": " + reason, false, e);
        }
        options.badFiles().skipOrFail(file, reason, e);
    }
}
