package io.roentgen.dicom.net;

import java.util.List;

/**
 * The seven PDUs of the DICOM upper layer (PS3.8 section 9.3), as data. {@link PduReader} decodes
 * them with strict length checks; {@link PduWriter} encodes them.
 */
public sealed interface Pdu {
    int ASSOCIATE_RQ = 0x01;
    int ASSOCIATE_AC = 0x02;
    int ASSOCIATE_RJ = 0x03;
    int P_DATA_TF = 0x04;
    int RELEASE_RQ = 0x05;
    int RELEASE_RP = 0x06;
    int ABORT = 0x07;

    /** The DICOM Application Context Name (PS3.7 A.2.1), the only one there is. */
    String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    /**
     * A-ASSOCIATE-RQ: who calls whom, the presentation contexts proposed and the user information.
     * The protocol version is a bit field whose bit 0 must be set (PS3.8 9.3.2).
     */
    record AssociateRq(int protocolVersion, String calledAe, String callingAe, String applicationContext,
            List<PresentationContextRq> contexts, UserInformation user) implements Pdu {
        public AssociateRq {
            contexts = List.copyOf(contexts);
        }
    }

    /** A-ASSOCIATE-AC: the answer to each proposed context and the acceptor's user information. */
    record AssociateAc(String calledAe, String callingAe, String applicationContext,
            List<PresentationContextAc> contexts, UserInformation user) implements Pdu {
        public AssociateAc {
            contexts = List.copyOf(contexts);
        }
    }

    /** A-ASSOCIATE-RJ with PS3.8 Table 9-21's result, source and reason. */
    record AssociateRj(int result, int source, int reason) implements Pdu {
        public static final int PERMANENT = 1;
        public static final int TRANSIENT = 2;
        /** Source 1, DICOM UL service-user. */
        public static final int SOURCE_USER = 1;
        /** Source 2, DICOM UL service-provider (ACSE related function). */
        public static final int SOURCE_PROVIDER_ACSE = 2;
        /** Source 3, DICOM UL service-provider (Presentation related function). */
        public static final int SOURCE_PROVIDER_PRESENTATION = 3;
        public static final int USER_NO_REASON = 1;
        public static final int USER_APPLICATION_CONTEXT_NOT_SUPPORTED = 2;
        public static final int USER_CALLING_AE_NOT_RECOGNIZED = 3;
        public static final int USER_CALLED_AE_NOT_RECOGNIZED = 7;
        public static final int ACSE_PROTOCOL_VERSION_NOT_SUPPORTED = 2;
        public static final int PRESENTATION_TEMPORARY_CONGESTION = 1;
        public static final int PRESENTATION_LOCAL_LIMIT_EXCEEDED = 2;
    }

    /** P-DATA-TF: one or more presentation data values. */
    record PDataTf(List<Pdv> pdvs) implements Pdu {
        public PDataTf {
            pdvs = List.copyOf(pdvs);
        }
    }

    record ReleaseRq() implements Pdu {}

    record ReleaseRp() implements Pdu {}

    /** A-ABORT with PS3.8 Table 9-26's source (0 user, 2 provider) and reason. */
    record Abort(int source, int reason) implements Pdu {
        public static final int SOURCE_USER = 0;
        public static final int SOURCE_PROVIDER = 2;
        public static final int REASON_NOT_SPECIFIED = 0;
        public static final int REASON_UNRECOGNIZED_PDU = 1;
        public static final int REASON_UNEXPECTED_PDU = 2;
        public static final int REASON_UNRECOGNIZED_PARAMETER = 4;
        public static final int REASON_UNEXPECTED_PARAMETER = 5;
        public static final int REASON_INVALID_PARAMETER = 6;
    }

    /** One presentation data value: a fragment of a command or a data set on one context. */
    record Pdv(int contextId, boolean command, boolean last, byte[] data) {}

    /** A proposed presentation context (item 20H). */
    record PresentationContextRq(int id, String abstractSyntax, List<String> transferSyntaxes) {
        public PresentationContextRq {
            transferSyntaxes = List.copyOf(transferSyntaxes);
        }
    }

    /** An answered presentation context (item 21H); the transfer syntax is empty unless accepted. */
    record PresentationContextAc(int id, int result, String transferSyntax) {
        public static final int ACCEPTANCE = 0;
        public static final int USER_REJECTION = 1;
        public static final int NO_REASON = 2;
        public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
        public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;
    }

    /**
     * User information (item 50H): maximum length of P-DATA-TF PDUs the sender receives (0: no
     * limit), implementation class UID and version name (may be null). Other sub-items are read
     * and ignored, which PS3.7 D.3.3 allows for an acceptor that does not support them.
     */
    record UserInformation(long maxPduLength, String implementationClassUid, String implementationVersionName) {}
}
