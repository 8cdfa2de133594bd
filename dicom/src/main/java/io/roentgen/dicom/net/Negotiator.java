package io.roentgen.dicom.net;

import java.util.ArrayList;
import java.util.List;

import io.roentgen.dicom.Uids;
import io.roentgen.dicom.net.Pdu.AssociateRj;
import io.roentgen.dicom.net.Pdu.PresentationContextAc;

/**
 * Answers an A-ASSOCIATE-RQ (PS3.8 section 7.1, PS3.7 annex D): the A-ASSOCIATE-RJ for a bad
 * protocol version, application context, called or calling AE title, else the A-ASSOCIATE-AC with
 * each presentation context accepted in our preferred transfer syntax or rejected with its reason.
 * The association limit is the server's, which counts associations.
 */
final class Negotiator {
    private final ScpConfig config;

    Negotiator(ScpConfig config) {
        this.config = config;
    }

    /** The A-ASSOCIATE-RJ this request gets, or null when it may be accepted. */
    AssociateRj reject(Pdu.AssociateRq rq) {
        if ((rq.protocolVersion() & 1) == 0) {
            return new AssociateRj(AssociateRj.PERMANENT, AssociateRj.SOURCE_PROVIDER_ACSE,
                    AssociateRj.ACSE_PROTOCOL_VERSION_NOT_SUPPORTED);
        }
        if (!Pdu.APPLICATION_CONTEXT.equals(rq.applicationContext())) {
            return userReject(AssociateRj.USER_APPLICATION_CONTEXT_NOT_SUPPORTED);
        }
        if (!config.aeTitle().equals(rq.calledAe())) {
            return userReject(AssociateRj.USER_CALLED_AE_NOT_RECOGNIZED);
        }
        if (!config.allowedCallingAets().isEmpty() && !config.allowedCallingAets().contains(rq.callingAe())) {
            return userReject(AssociateRj.USER_CALLING_AE_NOT_RECOGNIZED);
        }
        return null;
    }

    private static AssociateRj userReject(int reason) {
        return new AssociateRj(AssociateRj.PERMANENT, AssociateRj.SOURCE_USER, reason);
    }

    /** The A-ASSOCIATE-AC for a request {@link #reject} let through. */
    Pdu.AssociateAc accept(Pdu.AssociateRq rq) {
        List<PresentationContextAc> answers = new ArrayList<>();
        for (Pdu.PresentationContextRq pc : rq.contexts()) {
            answers.add(answer(pc));
        }
        Pdu.UserInformation user = new Pdu.UserInformation(config.maxPduLength(), Uids.IMPLEMENTATION_CLASS_UID,
                Uids.IMPLEMENTATION_VERSION_NAME);
        return new Pdu.AssociateAc(rq.calledAe(), rq.callingAe(), Pdu.APPLICATION_CONTEXT, answers, user);
    }

    private static PresentationContextAc answer(Pdu.PresentationContextRq pc) {
        List<String> ours;
        if (SopClasses.VERIFICATION.equals(pc.abstractSyntax())) {
            ours = SopClasses.verificationTransferSyntaxes();
        } else if (SopClasses.isImageStorage(pc.abstractSyntax())) {
            ours = SopClasses.storageTransferSyntaxes();
        } else {
            return new PresentationContextAc(pc.id(), PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED, "");
        }
        for (String ts : ours) {
            if (pc.transferSyntaxes().contains(ts)) {
                return new PresentationContextAc(pc.id(), PresentationContextAc.ACCEPTANCE, ts);
            }
        }
        return new PresentationContextAc(pc.id(), PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED, "");
    }
}
