package io.roentgen.datasets.manifest;

import io.roentgen.dicom.DicomException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Supplies the patient ID of an image whose manifest row (or folder layout) does not name one;
 * the DICOM header reader plugs in here. Returns null when the file does not know either.
 */
@FunctionalInterface
public interface PatientIdResolver {
    /** A resolver that never knows: entries without a patient ID stay without one. */
    PatientIdResolver NONE = file -> null;

    String patientIdOf(Path file) throws IOException, DicomException;
}
