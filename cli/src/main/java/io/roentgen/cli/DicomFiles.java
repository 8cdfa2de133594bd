package io.roentgen.cli;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.engine.RoentgenException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a DICOM file for a command, turning every failure into a one-line user error. */
final class DicomFiles {
    private DicomFiles() {}

    static DicomObject read(Path file, DicomReader reader) throws RoentgenException {
        if (Files.isDirectory(file)) {
            throw new RoentgenException(file + ": is a directory, not a DICOM file");
        }
        try {
            return reader.read(file);
        } catch (NoSuchFileException e) {
            throw new RoentgenException(file + ": no such file");
        } catch (IOException e) {
            throw new RoentgenException(file + ": cannot read: " + e.getMessage(), false, e);
        } catch (DicomException e) {
            throw new RoentgenException(file + ": " + e.getMessage(), false, e);
        }
    }
}
