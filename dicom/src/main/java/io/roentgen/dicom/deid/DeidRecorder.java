package io.roentgen.dicom.deid;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.VR;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Records in the data set what was done (PS3.15 E.1.1 and the Patient Identification module):
 * Patient Identity Removed YES, De-identification Method, the De-identification Method Code
 * Sequence with a CID 7050 code for the profile and each option used, and Longitudinal Temporal
 * Information Modified.
 */
final class DeidRecorder {
    static final int PATIENT_IDENTITY_REMOVED = 0x00120062;
    static final int DEIDENTIFICATION_METHOD = 0x00120063;
    static final int DEIDENTIFICATION_METHOD_CODE_SEQUENCE = 0x00120064;
    static final int LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED = 0x00280303;

    private DeidRecorder() {}

    static void record(DicomObject ds, Set<DeidOption> options, boolean pixelsCleaned) {
        List<DeidOption> used = new ArrayList<>();
        if (pixelsCleaned) {
            used.add(DeidOption.CLEAN_PIXEL_DATA);
            ds.putString(Tag.BurnedInAnnotation, VR.CS, "NO");
        }
        for (DeidOption o : DeidOption.values()) {
            if (options.contains(o)) {
                used.add(o);
            }
        }
        ds.putString(PATIENT_IDENTITY_REMOVED, VR.CS, "YES");
        List<String> method = new ArrayList<>();
        method.add("Roentgen deid, PS3.15 Basic Profile");
        used.forEach(o -> method.add(o.meaning()));
        ds.putString(DEIDENTIFICATION_METHOD, VR.LO, method.toArray(String[]::new));
        List<DicomObject> codes = new ArrayList<>();
        codes.add(code(DeidOption.BASIC_PROFILE_CODE, DeidOption.BASIC_PROFILE_MEANING));
        used.forEach(o -> codes.add(code(o.code(), o.meaning())));
        ds.putSequence(DEIDENTIFICATION_METHOD_CODE_SEQUENCE, codes);
        ds.putString(LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED, VR.CS, longitudinal(options));
    }

    private static String longitudinal(Set<DeidOption> options) {
        if (options.contains(DeidOption.RETAIN_LONGITUDINAL_FULL_DATES)) {
            return "UNMODIFIED";
        }
        return options.contains(DeidOption.RETAIN_LONGITUDINAL_MODIFIED_DATES) ? "MODIFIED" : "REMOVED";
    }

    private static DicomObject code(String value, String meaning) {
        DicomObject item = new DicomObject();
        item.putString(Tag.CodeValue, VR.SH, value);
        item.putString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        item.putString(Tag.CodeMeaning, VR.LO, meaning);
        return item;
    }
}
