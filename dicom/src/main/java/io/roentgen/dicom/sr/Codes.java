package io.roentgen.dicom.sr;

/** The coded concepts of the measurement report (PS3.16: DCM, SCT, UCUM, RFC5646, and our local scheme). */
public final class Codes {
    private Codes() {}

    /** Roentgen's local coding scheme, for labels a bundle gives no code for (PS3.16 8.2: "99" prefix). */
    public static final String LOCAL_SCHEME = "99ROENTGEN";

    static final Code IMAGING_MEASUREMENT_REPORT = new Code("126000", "DCM", "Imaging Measurement Report");
    static final Code LANGUAGE = new Code("121049", "DCM", "Language of Content Item and Descendants");
    static final Code ENGLISH_US = new Code("en-US", "RFC5646", "English (United States)");
    static final Code OBSERVER_TYPE = new Code("121005", "DCM", "Observer Type");
    static final Code DEVICE = new Code("121007", "DCM", "Device");
    static final Code DEVICE_OBSERVER_UID = new Code("121012", "DCM", "Device Observer UID");
    static final Code DEVICE_OBSERVER_NAME = new Code("121013", "DCM", "Device Observer Name");
    static final Code DEVICE_OBSERVER_MANUFACTURER = new Code("121014", "DCM", "Device Observer Manufacturer");
    static final Code DEVICE_OBSERVER_MODEL_NAME = new Code("121015", "DCM", "Device Observer Model Name");
    static final Code PROCEDURE_REPORTED = new Code("121058", "DCM", "Procedure reported");
    static final Code IMAGING_PROCEDURE = new Code("363679005", "SCT", "Imaging procedure");
    static final Code IMAGE_LIBRARY = new Code("111028", "DCM", "Image Library");
    static final Code IMAGE_LIBRARY_GROUP = new Code("126200", "DCM", "Image Library Group");
    static final Code SOURCE = new Code("260753009", "SCT", "Source");
    static final Code MODALITY = new Code("121139", "DCM", "Modality");
    static final Code IMAGING_MEASUREMENTS = new Code("126010", "DCM", "Imaging Measurements");
    static final Code MEASUREMENT_GROUP = new Code("125007", "DCM", "Measurement Group");
    static final Code TRACKING_IDENTIFIER = new Code("112039", "DCM", "Tracking Identifier");
    static final Code TRACKING_UNIQUE_IDENTIFIER = new Code("112040", "DCM", "Tracking Unique Identifier");
    static final Code FINDING = new Code("121071", "DCM", "Finding");
    static final Code ALGORITHM_NAME = new Code("111001", "DCM", "Algorithm Name");
    static final Code ALGORITHM_VERSION = new Code("111003", "DCM", "Algorithm Version");
    static final Code ALGORITHM_PARAMETERS = new Code("111002", "DCM", "Algorithm Parameters");
    static final Code SOURCE_OF_MEASUREMENT = new Code("121112", "DCM", "Source of Measurement");
    static final Code NO_UNITS = new Code("1", "UCUM", "no units");
    /** DICOM has no generic "probability" concept (only "Probability of cancer"): ours is local. */
    public static final Code PROBABILITY = new Code("probability", LOCAL_SCHEME, "Probability");

    /** A label's default code: the label in the local scheme. */
    public static Code local(String label) {
        return new Code(label, LOCAL_SCHEME, label);
    }
}
