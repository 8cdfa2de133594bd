package io.roentgen.models.explain;

/** Tags of the Segmentation IOD and its functional groups that {@code io.roentgen.dicom.Tag} does not name. */
final class SegTags {
    static final int REFERENCED_SERIES_SEQUENCE = 0x00081115;
    static final int REFERENCED_INSTANCE_SEQUENCE = 0x0008114A;
    static final int REFERENCED_FRAME_NUMBER = 0x00081160;
    static final int SOURCE_IMAGE_SEQUENCE = 0x00082112;
    static final int DERIVATION_IMAGE_SEQUENCE = 0x00089124;
    static final int DERIVATION_CODE_SEQUENCE = 0x00089215;
    static final int LONG_CODE_VALUE = 0x00080119;
    static final int CODING_SCHEME_IDENTIFICATION_SEQUENCE = 0x00080110;
    static final int CODING_SCHEME_NAME = 0x00080115;
    static final int MANUFACTURER_MODEL_NAME = 0x00081090;
    static final int DEVICE_SERIAL_NUMBER = 0x00181000;
    static final int SOFTWARE_VERSIONS = 0x00181020;
    static final int POSITION_REFERENCE_INDICATOR = 0x00201040;
    static final int DIMENSION_ORGANIZATION_UID = 0x00209164;
    static final int DIMENSION_INDEX_POINTER = 0x00209165;
    static final int FUNCTIONAL_GROUP_POINTER = 0x00209167;
    static final int DIMENSION_INDEX_VALUES = 0x00209157;
    static final int DIMENSION_DESCRIPTION_LABEL = 0x00209421;
    static final int DIMENSION_ORGANIZATION_SEQUENCE = 0x00209221;
    static final int DIMENSION_INDEX_SEQUENCE = 0x00209222;
    static final int FRAME_CONTENT_SEQUENCE = 0x00209111;
    static final int PLANE_POSITION_SEQUENCE = 0x00209113;
    static final int PLANE_ORIENTATION_SEQUENCE = 0x00209116;
    static final int PIXEL_MEASURES_SEQUENCE = 0x00289110;
    static final int LOSSY_IMAGE_COMPRESSION = 0x00282110;
    static final int PURPOSE_OF_REFERENCE_CODE_SEQUENCE = 0x0040A170;
    static final int SHARED_FUNCTIONAL_GROUPS = 0x52009229;
    static final int PER_FRAME_FUNCTIONAL_GROUPS = 0x52009230;
    static final int CONTENT_LABEL = 0x00700080;
    static final int CONTENT_DESCRIPTION = 0x00700081;
    static final int CONTENT_CREATOR_NAME = 0x00700084;
    static final int SEGMENTATION_TYPE = 0x00620001;
    static final int SEGMENTED_PROPERTY_CATEGORY = 0x00620003;
    static final int SEGMENT_SEQUENCE = 0x00620002;
    static final int SEGMENT_NUMBER = 0x00620004;
    static final int SEGMENT_LABEL = 0x00620005;
    static final int SEGMENT_ALGORITHM_TYPE = 0x00620008;
    static final int SEGMENT_ALGORITHM_NAME = 0x00620009;
    static final int SEGMENT_IDENTIFICATION_SEQUENCE = 0x0062000A;
    static final int REFERENCED_SEGMENT_NUMBER = 0x0062000B;
    static final int MAXIMUM_FRACTIONAL_VALUE = 0x0062000E;
    static final int SEGMENTED_PROPERTY_TYPE = 0x0062000F;
    static final int SEGMENTATION_FRACTIONAL_TYPE = 0x00620010;

    private SegTags() {}
}
