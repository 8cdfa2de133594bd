package io.roentgen.dicom.net;

import java.io.IOException;

/** A PDU that breaks PS3.8: the association is aborted with this A-ABORT reason. */
public final class PduException extends IOException {
    private final int abortReason;

    public PduException(int abortReason, String message) {
        super(message);
        this.abortReason = abortReason;
    }

    /** The A-ABORT reason (PS3.8 Table 9-26) to send. */
    public int abortReason() {
        return abortReason;
    }
}
