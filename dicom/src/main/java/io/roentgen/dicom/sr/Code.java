package io.roentgen.dicom.sr;

import java.util.Objects;

/**
 * A coded concept: code value, coding scheme designator and code meaning, as DICOM writes it in a
 * Code Sequence item (PS3.3 Table 8.8-1).
 *
 * @param value   Code Value; longer than 16 characters it is written as Long Code Value
 * @param scheme  Coding Scheme Designator ("DCM", "SCT", "UCUM", or a local "99..." scheme)
 * @param meaning Code Meaning, at most 64 characters
 */
public record Code(String value, String scheme, String meaning) {
    /** Longest Code Value (SH); a longer value goes to Long Code Value (UC). */
    static final int MAX_SHORT_VALUE = 16;
    private static final int MAX_MEANING = 64;

    public Code {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(meaning, "meaning");
        if (value.isBlank() || scheme.isBlank() || meaning.isBlank()) {
            throw new IllegalArgumentException("a code needs a value, a scheme and a meaning: (" + value + ", " + scheme
                    + ", " + meaning + ")");
        }
        if (value.indexOf('\\') >= 0 || meaning.indexOf('\\') >= 0 || scheme.length() > 16) {
            throw new IllegalArgumentException("invalid code (" + value + ", " + scheme + ", " + meaning
                    + "): no backslash, a scheme of at most 16 characters");
        }
        if (meaning.length() > MAX_MEANING) {
            meaning = meaning.substring(0, MAX_MEANING).strip();
        }
    }

    @Override
    public String toString() {
        return "(" + value + ", " + scheme + ", \"" + meaning + "\")";
    }
}
