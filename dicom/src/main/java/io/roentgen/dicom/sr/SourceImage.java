package io.roentgen.dicom.sr;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;

import java.util.Objects;

/**
 * What a report needs of one classified instance: its identity for references, and the Patient
 * and General Study attributes the report copies (PS3.3 C.7.1.1, C.7.2.1), kept as their encoded
 * bytes with the Specific Character Set so nothing is re-encoded.
 *
 * @param sopClassUid       SOP Class UID of the image
 * @param sopInstanceUid    SOP Instance UID of the image
 * @param seriesInstanceUid its series
 * @param studyInstanceUid  its study
 * @param patientAndStudy   the copied attributes (a small data set; never logged)
 */
public record SourceImage(String sopClassUid, String sopInstanceUid, String seriesInstanceUid, String studyInstanceUid,
        DicomObject patientAndStudy) {

    /** Text attributes of the Patient and General Study modules, copied as they are. */
    static final int[] COPIED = {
        Tag.SpecificCharacterSet, Tag.StudyDate, Tag.StudyTime, Tag.AccessionNumber, Tag.ReferringPhysicianName,
        Tag.StudyDescription, Tag.PatientName, Tag.PatientID, 0x00100021 /* IssuerOfPatientID */,
        Tag.PatientBirthDate, Tag.PatientSex, Tag.PatientAge, 0x00200010 /* StudyID */,
    };

    public SourceImage {
        requireUid(sopClassUid, "SOP Class UID");
        requireUid(sopInstanceUid, "SOP Instance UID");
        requireUid(seriesInstanceUid, "Series Instance UID");
        requireUid(studyInstanceUid, "Study Instance UID");
        Objects.requireNonNull(patientAndStudy, "patientAndStudy");
    }

    /** The identity and patient/study attributes of a parsed instance (pixel data are not kept). */
    public static SourceImage of(DicomObject dicom) {
        DicomObject copied = new DicomObject();
        for (int tag : COPIED) {
            if (dicom.contains(tag) && !(dicom.element(tag).isSequence())) {
                VR vr = dicom.vr(tag);
                byte[] value = dicom.getBytes(tag);
                copied.putBytes(tag, vr, value == null ? new byte[0] : value);
            }
        }
        DicomObject meta = dicom.fileMeta();
        String sopClass = dicom.getString(Tag.SOPClassUID, meta == null ? null : meta.getString(Tag.MediaStorageSOPClassUID));
        String sopInstance = dicom.getString(Tag.SOPInstanceUID,
                meta == null ? null : meta.getString(Tag.MediaStorageSOPInstanceUID));
        return new SourceImage(sopClass, sopInstance, dicom.getString(Tag.SeriesInstanceUID),
                dicom.getString(Tag.StudyInstanceUID), copied);
    }

    private static void requireUid(String uid, String what) {
        if (uid == null || uid.isBlank()) {
            throw new IllegalArgumentException("a source image for a report needs its " + what);
        }
    }
}
