package io.roentgen.models.bundle;

import io.roentgen.engine.RoentgenException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A bundle unpacked in a directory. */
final class DirectoryBundleFiles implements BundleFiles {
    private final Path directory;

    DirectoryBundleFiles(Path directory) {
        this.directory = directory;
    }

    @Override
    public String location() {
        return directory.toString();
    }

    @Override
    public boolean has(String name) {
        return Files.isRegularFile(directory.resolve(name));
    }

    @Override
    public byte[] read(String name) throws RoentgenException {
        Path file = directory.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new RoentgenException(directory + ": bundle has no " + name);
        }
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new RoentgenException(file + ": " + size + " bytes, more than the " + MAX_FILE_BYTES
                        + " a bundle file may have");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new RoentgenException(file + ": cannot read: " + e.getMessage(), false, e);
        }
    }
}
