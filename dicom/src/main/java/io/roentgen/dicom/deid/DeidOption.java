package io.roentgen.dicom.deid;

/**
 * The options of PS3.15 Annex E (Table E.1-1's option columns), each with the column name in
 * the standard's table and its code from CID 7050 "De-identification Method" (scheme DCM).
 */
public enum DeidOption {
    CLEAN_PIXEL_DATA(null, "113101", "Clean Pixel Data Option"),
    CLEAN_GRAPHICS("cleanGraphOpt", "113103", "Clean Graphics Option"),
    CLEAN_STRUCTURED_CONTENT("cleanStructContOpt", "113104", "Clean Structured Content Option"),
    CLEAN_DESCRIPTORS("cleanDescOpt", "113105", "Clean Descriptors Option"),
    RETAIN_LONGITUDINAL_FULL_DATES("rtnLongFullDatesOpt", "113106", "Retain Longitudinal Temporal Information Full Dates Option"),
    RETAIN_LONGITUDINAL_MODIFIED_DATES("rtnLongModifDatesOpt", "113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
    RETAIN_PATIENT_CHARACTERISTICS("rtnPatCharsOpt", "113108", "Retain Patient Characteristics Option"),
    RETAIN_DEVICE_IDENTITY("rtnDevIdOpt", "113109", "Retain Device Identity Option"),
    RETAIN_UIDS("rtnUIDsOpt", "113110", "Retain UIDs Option"),
    RETAIN_SAFE_PRIVATE("rtnSafePrivOpt", "113111", "Retain Safe Private Option"),
    RETAIN_INSTITUTION_IDENTITY("rtnInstIdOpt", "113112", "Retain Institution Identity Option");

    /** The code of the profile itself, always recorded. */
    public static final String BASIC_PROFILE_CODE = "113100";
    public static final String BASIC_PROFILE_MEANING = "Basic Application Confidentiality Profile";

    private final String column;
    private final String code;
    private final String meaning;

    DeidOption(String column, String code, String meaning) {
        this.column = column;
        this.code = code;
        this.meaning = meaning;
    }

    /** The option's column in confidentiality_profile_attributes.json; null for Clean Pixel Data (no column). */
    public String column() {
        return column;
    }

    /** The CID 7050 code value. */
    public String code() {
        return code;
    }

    /** The CID 7050 code meaning. */
    public String meaning() {
        return meaning;
    }
}
