package io.roentgen.dicom.sr;

import java.util.Map;

/**
 * The code each class label is reported as: the bundle's own (a SNOMED CT or other code) where it
 * gives one, else the label in Roentgen's local scheme ({@link Codes#LOCAL_SCHEME}).
 */
public record LabelCodes(Map<String, Code> byLabel) {
    public LabelCodes {
        byLabel = Map.copyOf(byLabel);
    }

    /** Every label in the local scheme. */
    public static LabelCodes local() {
        return new LabelCodes(Map.of());
    }

    public Code code(String label) {
        Code given = byLabel.get(label);
        return given != null ? given : Codes.local(label);
    }
}
