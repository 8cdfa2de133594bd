package io.roentgen.models.bundle;

import io.roentgen.engine.RoentgenException;

import java.nio.file.Files;
import java.nio.file.Path;

/** The files of a bundle by name, from a directory or a zip archive. */
interface BundleFiles {

    /** Largest file read from a bundle (a DenseNet-121 is ~30 MB; ResNet-50 ~100 MB). */
    long MAX_FILE_BYTES = 1L << 30;

    /** Where the bundle is, for messages. */
    String location();

    boolean has(String name);

    /** The whole file; a missing file is an error naming the bundle and the file. */
    byte[] read(String name) throws RoentgenException;

    static BundleFiles open(Path path) throws RoentgenException {
        if (Files.isDirectory(path)) {
            return new DirectoryBundleFiles(path);
        }
        if (!Files.exists(path)) {
            throw new RoentgenException(path + ": no such model bundle (a directory or a .zip)");
        }
        return ZipBundleFiles.read(path, MAX_FILE_BYTES);
    }
}
