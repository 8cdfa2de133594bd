package io.roentgen.dicom.sr;

/** The SR storage SOP class a report is written as. */
public enum SrClass {
    /** Comprehensive 3D SR, the default: what TID 1500 reports are usually stored as. */
    COMPREHENSIVE_3D("1.2.840.10008.5.1.4.1.1.88.34"),
    /** Comprehensive SR, for archives that do not take the 3D class. */
    COMPREHENSIVE("1.2.840.10008.5.1.4.1.1.88.33");

    private final String uid;

    SrClass(String uid) {
        this.uid = uid;
    }

    public String uid() {
        return uid;
    }

    /** "comprehensive3d" or "comprehensive" (flag and config spelling). */
    public static SrClass parse(String name) {
        return switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "comprehensive3d", "comprehensive-3d", "comprehensive_3d" -> COMPREHENSIVE_3D;
            case "comprehensive" -> COMPREHENSIVE;
            default -> throw new IllegalArgumentException("SR class is comprehensive3d or comprehensive, not '" + name + "'");
        };
    }
}
