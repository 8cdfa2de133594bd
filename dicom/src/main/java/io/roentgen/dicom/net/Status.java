package io.roentgen.dicom.net;

/** DIMSE status codes we send (PS3.7 annex C, PS3.4 B.2.3). */
public final class Status {
    public static final int SUCCESS = 0x0000;
    /** Unrecognized operation: a DIMSE command this SCP does not perform (C-FIND, C-MOVE, N-*, unknown). */
    public static final int UNRECOGNIZED_OPERATION = 0x0211;
    /** Refused: out of resources (the spool is past its free-space watermark, or a write failed). */
    public static final int OUT_OF_RESOURCES = 0xA700;
    /** Error: data set does not match SOP class. */
    public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    /** Error: cannot understand (the data set does not parse). */
    public static final int CANNOT_UNDERSTAND = 0xC000;

    private Status() {}
}
