package io.roentgen.datasets.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One image of a manifest.
 *
 * @param line the CSV line number the entry came from (the header is line 1; for a quoted field
 *     spanning lines, the record's last line), 0 for folder layouts
 * @param path the image file, resolved against the manifest's folder
 * @param labelIndices the image's classes as indices into {@link Manifest#classNames()}, ascending;
 *     exactly one for a single-label manifest, zero or more for a multi-label one
 * @param labelNames the same classes by name, in the same order
 * @param patientId the patient, or null when unknown (each such image counts as its own patient)
 * @param studyUid the study instance UID, or null
 * @param split the split named in the manifest ({@code train}, {@code validation}, {@code test},
 *     as written), or null
 */
public record ManifestEntry(
        int line,
        Path path,
        List<Integer> labelIndices,
        List<String> labelNames,
        String patientId,
        String studyUid,
        String split) {

    public ManifestEntry {
        Objects.requireNonNull(path, "path");
        labelIndices = List.copyOf(labelIndices);
        labelNames = List.copyOf(labelNames);
        if (labelIndices.size() != labelNames.size()) {
            throw new IllegalArgumentException("label indices and names differ in number");
        }
    }

    /** True when the image carries class {@code classIndex}. */
    public boolean hasLabel(int classIndex) {
        return labelIndices.contains(classIndex);
    }

    /** A copy of this entry with another split. */
    public ManifestEntry withSplit(String newSplit) {
        return new ManifestEntry(line, path, labelIndices, labelNames, patientId, studyUid, newSplit);
    }

    /** A copy of this entry with another patient ID. */
    public ManifestEntry withPatientId(String newPatientId) {
        return new ManifestEntry(line, path, labelIndices, labelNames, newPatientId, studyUid, split);
    }
}
