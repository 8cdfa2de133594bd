package io.roentgen.models.scoring;

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
 * The files a command line names: files as given (each is scored, whatever it holds), folders
 * walked for DICOM files ({@code .dcm}/{@code .dicom}, or the {@code DICM} magic at offset 128),
 * hidden files and folders skipped, in sorted order.
 */
public final class DicomInputs {
    private static final int MAGIC_OFFSET = 128;
    private static final byte[] MAGIC = {'D', 'I', 'C', 'M'};

    private DicomInputs() {}

    public static List<Path> expand(List<Path> arguments) throws RoentgenException {
        List<Path> files = new ArrayList<>();
        for (Path argument : arguments) {
            if (Files.isDirectory(argument)) {
                files.addAll(walk(argument));
            } else {
                files.add(argument);
            }
        }
        return files;
    }

    private static List<Path> walk(Path folder) throws RoentgenException {
        try (Stream<Path> paths = Files.walk(folder)) {
            List<Path> candidates = paths.filter(Files::isRegularFile)
                    .filter(p -> !hidden(folder.relativize(p))).sorted().toList();
            List<Path> dicom = new ArrayList<>();
            for (Path p : candidates) {
                if (looksLikeDicom(p)) {
                    dicom.add(p);
                }
            }
            return dicom;
        } catch (IOException e) {
            throw new RoentgenException(folder + ": cannot list: " + e.getMessage(), false, e);
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean looksLikeDicom(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".dcm") || name.endsWith(".dicom")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC_OFFSET + MAGIC.length);
            if (head.length < MAGIC_OFFSET + MAGIC.length) {
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
}
