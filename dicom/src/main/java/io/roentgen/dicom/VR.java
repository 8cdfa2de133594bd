package io.roentgen.dicom;

/**
 * DICOM value representations (PS3.5 section 6.2), with what the parser and writer need to know
 * about each: header form in explicit VR, how values are separated and padded, and byte-swapping
 * unit for big endian.
 */
public enum VR {
    AE(Kind.TEXT, false, false, 1, StringValues.INSTANCE),
    AS(Kind.TEXT, false, false, 1, StringValues.INSTANCE),
    AT(Kind.BINARY, false, false, 2, IntegerBinaryValues.INSTANCE),
    CS(Kind.TEXT, false, false, 1, StringValues.INSTANCE),
    DA(Kind.TEXT, false, false, 1, StringValues.INSTANCE),
    DS(Kind.TEXT, false, false, 1, StringValues.INSTANCE),
    DT(Kind.TEXT, false, false, 1, StringValues.INSTANCE),
    FD(Kind.BINARY, false, false, 8, FloatBinaryValues.INSTANCE),
    FL(Kind.BINARY, false, false, 4, FloatBinaryValues.INSTANCE),
    IS(Kind.TEXT, false, false, 1, StringValues.INSTANCE),
    LO(Kind.TEXT, false, true, 1, StringValues.INSTANCE),
    LT(Kind.SINGLE_TEXT, false, true, 1, StringValues.INSTANCE),
    OB(Kind.BINARY, true, false, 1, BytesValues.INSTANCE),
    OD(Kind.BINARY, true, false, 8, FloatBinaryValues.INSTANCE),
    OF(Kind.BINARY, true, false, 4, FloatBinaryValues.INSTANCE),
    OL(Kind.BINARY, true, false, 4, IntegerBinaryValues.INSTANCE),
    OV(Kind.BINARY, true, false, 8, IntegerBinaryValues.INSTANCE),
    OW(Kind.BINARY, true, false, 2, IntegerBinaryValues.INSTANCE),
    PN(Kind.TEXT, false, true, 1, StringValues.INSTANCE),
    SH(Kind.TEXT, false, true, 1, StringValues.INSTANCE),
    SL(Kind.BINARY, false, false, 4, IntegerBinaryValues.INSTANCE),
    SQ(Kind.SEQUENCE, true, false, 1, SequenceValue.INSTANCE),
    SS(Kind.BINARY, false, false, 2, IntegerBinaryValues.INSTANCE),
    ST(Kind.SINGLE_TEXT, false, true, 1, StringValues.INSTANCE),
    SV(Kind.BINARY, true, false, 8, IntegerBinaryValues.INSTANCE),
    TM(Kind.TEXT, false, false, 1, StringValues.INSTANCE),
    UC(Kind.TEXT, true, true, 1, StringValues.INSTANCE),
    UI(Kind.TEXT, false, false, 1, StringValues.INSTANCE),
    UL(Kind.BINARY, false, false, 4, IntegerBinaryValues.INSTANCE),
    UN(Kind.BINARY, true, false, 1, BytesValues.INSTANCE),
    UR(Kind.SINGLE_TEXT, true, false, 1, StringValues.INSTANCE),
    US(Kind.BINARY, false, false, 2, IntegerBinaryValues.INSTANCE),
    UT(Kind.SINGLE_TEXT, true, true, 1, StringValues.INSTANCE),
    UV(Kind.BINARY, true, false, 8, IntegerBinaryValues.INSTANCE);

    private enum Kind { TEXT, SINGLE_TEXT, BINARY, SEQUENCE }

    private static final VR[] BY_CODE = new VR[65536];

    static {
        for (VR vr : values()) {
            BY_CODE[vr.code] = vr;
        }
    }

    private final Kind kind;
    private final boolean longLength;
    private final boolean specificCharacterSet;
    private final int swapUnit;
    private final int code;
    private final ValueType valueType;

    VR(Kind kind, boolean longLength, boolean specificCharacterSet, int swapUnit, ValueType valueType) {
        this.kind = kind;
        this.longLength = longLength;
        this.specificCharacterSet = specificCharacterSet;
        this.swapUnit = swapUnit;
        this.code = (name().charAt(0) << 8) | name().charAt(1);
        this.valueType = valueType;
    }

    /** How values of this VR decode to text and numbers, and encode from them. */
    ValueType valueType() {
        return valueType;
    }

    /** The VR whose two ASCII letters are {@code (first << 8) | second}, or null. */
    public static VR ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The VR named by two letters ("OB"), or null when there is no such VR. */
    public static VR ofName(String name) {
        if (name == null || name.length() != 2) {
            return null;
        }
        return ofCode((name.charAt(0) << 8) | name.charAt(1));
    }

    /** The two ASCII letters as {@code (first << 8) | second}. */
    public int code() {
        return code;
    }

    /** True when explicit VR encodes this VR with 2 reserved bytes and a 32-bit length. */
    public boolean hasLongLength() {
        return longLength;
    }

    /** True for character string VRs (values are text, padded with spaces, UI with NUL). */
    public boolean isText() {
        return kind == Kind.TEXT || kind == Kind.SINGLE_TEXT;
    }

    /** True for text VRs whose value may hold backslash-separated multiple values. */
    public boolean isMultiValuedText() {
        return kind == Kind.TEXT;
    }

    /** True for binary VRs (numbers, AT, OB/OW/OL/OD/OF/OV and UN). */
    public boolean isBinary() {
        return kind == Kind.BINARY;
    }

    /** True for SQ. */
    public boolean isSequence() {
        return kind == Kind.SEQUENCE;
    }

    /** True for the VRs whose text is encoded with the Specific Character Set (SH LO ST LT PN UC UT). */
    public boolean usesSpecificCharacterSet() {
        return specificCharacterSet;
    }

    /** Bytes per binary number (the unit swapped between byte orders); 1 for text and OB/UN. */
    public int bytesPerValue() {
        return swapUnit;
    }

    /** True for binary VRs read as integers (AT, SS, US, SL, UL, SV, UV, OW, OL, OV). */
    public boolean isBinaryInteger() {
        switch (this) {
            case SS: case US: case SL: case UL: case SV: case UV: case OW: case OL: case OV: case AT:
                return true;
            default:
                return false;
        }
    }

    /** True for binary floating point VRs (FL, FD, OF, OD). */
    public boolean isBinaryFloat() {
        return this == FL || this == FD || this == OF || this == OD;
    }

    /** True for binary integer VRs whose values are signed (SS, SL, SV). */
    public boolean isSigned() {
        return this == SS || this == SL || this == SV;
    }

    /** The byte used to pad a value to even length: NUL for UI and binary VRs, space for text. */
    public byte paddingByte() {
        return isText() && this != UI ? (byte) ' ' : 0;
    }
}
