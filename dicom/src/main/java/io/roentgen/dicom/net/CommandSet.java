package io.roentgen.dicom.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.VR;

/**
 * DIMSE command sets (PS3.7 section 9.3 and annex E): group 0000 data sets, always Implicit VR
 * Little Endian, led by Command Group Length. Encoded and decoded with the module's own writer and
 * reader; this class only adds the group length the writer leaves out, and the messages we build.
 */
public final class CommandSet {
    public static final int AFFECTED_SOP_CLASS_UID = 0x00000002;
    public static final int REQUESTED_SOP_CLASS_UID = 0x00000003;
    public static final int COMMAND_FIELD = 0x00000100;
    public static final int MESSAGE_ID = 0x00000110;
    public static final int MESSAGE_ID_BEING_RESPONDED_TO = 0x00000120;
    public static final int PRIORITY = 0x00000700;
    public static final int COMMAND_DATA_SET_TYPE = 0x00000800;
    public static final int STATUS = 0x00000900;
    public static final int ERROR_COMMENT = 0x00000902;
    public static final int AFFECTED_SOP_INSTANCE_UID = 0x00001000;
    public static final int REQUESTED_SOP_INSTANCE_UID = 0x00001001;

    public static final int C_STORE_RQ = 0x0001;
    public static final int C_STORE_RSP = 0x8001;
    public static final int C_ECHO_RQ = 0x0030;
    public static final int C_ECHO_RSP = 0x8030;
    /** C-CANCEL-RQ: the one request that has no response (PS3.7 9.3.2.3). */
    public static final int C_CANCEL_RQ = 0x0FFF;
    /** Command Data Set Type when no data set follows; any other value means one does. */
    public static final int NO_DATA_SET = 0x0101;

    /** Command sets are a few hundred bytes; this bounds what a peer can make us buffer. */
    static final int MAX_COMMAND_BYTES = 64 * 1024;

    private static final DicomReader READER = DicomReader.builder().maxBytes(MAX_COMMAND_BYTES).build();
    private static final DicomWriter WRITER = DicomWriter.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);

    private CommandSet() {}

    /** The command set's bytes, Command Group Length (0000,0000) first. */
    public static byte[] encode(DicomObject command) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            WRITER.writeDataSet(command, body);
            int n = body.size();
            ByteArrayOutputStream all = new ByteArrayOutputStream(n + 12);
            all.write(new byte[] {0, 0, 0, 0, 4, 0, 0, 0, (byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
            body.writeTo(all);
            return all.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a command set, checking it holds only group 0000 and a command field. */
    public static DicomObject decode(byte[] bytes) throws DicomException {
        DicomObject command = READER.read(bytes);
        for (int tag : command.tags()) {
            if (tag >>> 16 != 0) {
                throw new DicomException("command set holds element " + Integer.toHexString(tag) + " outside group 0000");
            }
        }
        if (command.getInt(COMMAND_FIELD, -1) < 0) {
            throw new DicomException("command set without Command Field (0000,0100)");
        }
        return command;
    }

    public static boolean hasDataSet(DicomObject command) {
        return command.getInt(COMMAND_DATA_SET_TYPE, NO_DATA_SET) != NO_DATA_SET;
    }

    /**
     * The command field that answers {@code field}, or -1 when nothing does: C-CANCEL-RQ and
     * responses (bit 15 set) get no answer. Every request PS3.7 defines is answered by its field
     * with bit 15 set, so an unknown request field is answered the same way.
     */
    public static int responseField(int field) {
        if (field == C_CANCEL_RQ || (field & 0x8000) != 0 || field < 0 || field > 0xFFFF) {
            return -1;
        }
        return field | 0x8000;
    }

    /** A response to {@code request}: same SOP class (and instance, if any), the given command field and status. */
    public static DicomObject response(DicomObject request, int commandField, int status) {
        DicomObject rsp = new DicomObject();
        String sopClass = request.getString(AFFECTED_SOP_CLASS_UID);
        if (sopClass == null) {
            sopClass = request.getString(REQUESTED_SOP_CLASS_UID); // N-GET, N-SET, N-ACTION, N-DELETE
        }
        if (sopClass != null) {
            rsp.putString(AFFECTED_SOP_CLASS_UID, VR.UI, sopClass);
        }
        rsp.putInts(COMMAND_FIELD, VR.US, commandField);
        rsp.putInts(MESSAGE_ID_BEING_RESPONDED_TO, VR.US, request.getInt(MESSAGE_ID, 0));
        rsp.putInts(COMMAND_DATA_SET_TYPE, VR.US, NO_DATA_SET);
        rsp.putInts(STATUS, VR.US, status);
        String sopInstance = request.getString(AFFECTED_SOP_INSTANCE_UID);
        if (sopInstance == null) {
            sopInstance = request.getString(REQUESTED_SOP_INSTANCE_UID);
        }
        if (sopInstance != null) {
            rsp.putString(AFFECTED_SOP_INSTANCE_UID, VR.UI, sopInstance);
        }
        return rsp;
    }

    /** A C-ECHO-RQ. */
    public static DicomObject echoRq(int messageId) {
        DicomObject rq = new DicomObject();
        rq.putString(AFFECTED_SOP_CLASS_UID, VR.UI, SopClasses.VERIFICATION);
        rq.putInts(COMMAND_FIELD, VR.US, C_ECHO_RQ);
        rq.putInts(MESSAGE_ID, VR.US, messageId);
        rq.putInts(COMMAND_DATA_SET_TYPE, VR.US, NO_DATA_SET);
        return rq;
    }

    /** A C-STORE-RQ at medium priority; a data set follows. */
    public static DicomObject storeRq(int messageId, String sopClass, String sopInstance) {
        DicomObject rq = new DicomObject();
        rq.putString(AFFECTED_SOP_CLASS_UID, VR.UI, sopClass);
        rq.putInts(COMMAND_FIELD, VR.US, C_STORE_RQ);
        rq.putInts(MESSAGE_ID, VR.US, messageId);
        rq.putInts(PRIORITY, VR.US, 0);
        rq.putInts(COMMAND_DATA_SET_TYPE, VR.US, 0x0000);
        rq.putString(AFFECTED_SOP_INSTANCE_UID, VR.UI, sopInstance);
        return rq;
    }
}
