package io.roentgen.dicom.deid;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.Tag;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Before training or inspection: does this data carry identifiers? A file does when it has a
 * non-empty Patient's Name or Patient's Birth Date and does not say Patient Identity Removed YES.
 * Headers only, and a sample of the files, so the check costs little on a large collection.
 */
public final class IdentifierCheck {
    /** Files looked at: enough to notice a collection that was never de-identified. */
    static final int SAMPLE = 50;

    private static final DicomReader HEADERS = DicomReader.builder().stopBeforePixelData(true).build();

    private IdentifierCheck() {}

    /** True when the data set carries a name or birth date and does not claim de-identification. */
    public static boolean carriesIdentifiers(DicomObject ds) {
        boolean removed = "YES".equalsIgnoreCase(ds.getString(0x00120062, "").strip());
        boolean named = !ds.getString(Tag.PatientName, "").isBlank() || !ds.getString(Tag.PatientBirthDate, "").isBlank();
        return named && !removed;
    }

    /** A warning to print when sampled files carry identifiers (unreadable files are not this check's business). */
    public static Optional<String> warning(List<Path> files) {
        int step = Math.max(1, files.size() / SAMPLE);
        int flagged = 0;
        int looked = 0;
        for (int i = 0; i < files.size() && looked < SAMPLE; i += step, looked++) {
            try {
                if (carriesIdentifiers(HEADERS.read(files.get(i)))) {
                    flagged++;
                }
            } catch (Exception unreadable) {
                // reported by the command's own reading
            }
        }
        if (flagged == 0) {
            return Optional.empty();
        }
        return Optional.of("warning: " + flagged + " of " + looked + " sampled files carry patient identifiers (name or birth date) "
                + "and are not marked de-identified. De-identify before training:\n"
                + "  roentgen deid DIR --out DIR-deid --key-file project.key   (PS3.15 Basic Profile)");
    }
}
