package io.roentgen.dicom.net;

import java.io.IOException;

/** The peer answered our A-ASSOCIATE-RQ with an A-ASSOCIATE-RJ. */
public final class AssociationRejectedException extends IOException {
    private final Pdu.AssociateRj reject;

    public AssociationRejectedException(Pdu.AssociateRj reject) {
        super("association rejected: " + ScpMetrics.reasonName(reject) + " (result " + reject.result() + ")");
        this.reject = reject;
    }

    public Pdu.AssociateRj reject() {
        return reject;
    }
}
