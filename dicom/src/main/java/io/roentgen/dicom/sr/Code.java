package io.roentgen.dicom.sr;

/** A coded concept: Code Value, Coding Scheme Designator, Code Meaning (PS3.3 8.8). */
public record Code(String value, String scheme, String meaning) {
    /** The local coding scheme of codes Roentgen makes up where a bundle names none. */
    public static final String LOCAL_SCHEME = "99RNTGN";

    public static Code local(String label) {
        return new Code(label.length() <= 16 ? label : label.substring(0, 16), LOCAL_SCHEME, label);
    }
}
