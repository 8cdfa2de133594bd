package io.roentgen.datasets;

import io.roentgen.dicom.DicomException;
import io.roentgen.datasets.manifest.PatientIdResolver;
import java.nio.file.Path;

/**
 * The {@link PatientIdResolver} that reads Patient ID (0010,0020) from the file's header, through a
 * {@link CollectionIndex} so each header is read once per change of the file. A file whose header
 * cannot be parsed is a {@link DicomException} (the manifest reader reports it under
 * {@code --on-bad-file}); a header without a Patient ID gives null (the image counts as its own
 * patient).
 */
public final class DicomHeaderPatientIds implements PatientIdResolver {
    private final CollectionIndex index;

    public DicomHeaderPatientIds(CollectionIndex index) {
        this.index = index;
    }

    @Override
    public String patientIdOf(Path file) throws DicomException {
        IndexedFile entry = index.entry(file);
        if (!entry.headerRead()) {
            throw new DicomException(entry.error());
        }
        return entry.patientId();
    }
}
