package io.roentgen.dicom.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Map;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.VR;
import io.roentgen.dicom.net.Pdu.Abort;
import io.roentgen.dicom.net.Pdu.AssociateRj;

/**
 * One association on the SCP side, on its own thread, from the A-ASSOCIATE-RQ to the close
 * (PS3.8 annex A's state machine, the acceptor's half). Any protocol error, a timer that expires,
 * or a peer that goes past a limit ends it with an A-ABORT; a half-received data set is deleted.
 */
final class Association implements Runnable {
    private static final System.Logger LOG = System.getLogger(Association.class.getName());
    /** The largest P-DATA-TF we send when the peer announces no limit. */
    private static final int SEND_CAP = 1 << 20;

    /** Counts associations against the limit; {@code tryOpen} false means reject. */
    interface Limit {
        boolean tryOpen();

        void close();
    }

    private final Socket socket;
    private final ScpConfig config;
    private final Negotiator negotiator;
    private final Spool spool;
    private final InstanceListener listener;
    private final ScpMetrics metrics;
    private final Limit limit;

    private DeadlineInputStream in;
    private PduReader reader;
    private PduWriter writer;
    private String callingAe;
    private int sendMax;
    private final Map<Integer, String> abstractSyntaxes = new HashMap<>();
    private final Map<Integer, String> transferSyntaxes = new HashMap<>();
    private final Message message = new Message();
    /** Set once associated: a timer that expires from then on is the DIMSE timer, not ARTIM. */
    private boolean associated;

    Association(Socket socket, ScpConfig config, Spool spool, InstanceListener listener, ScpMetrics metrics, Limit limit) {
        this.socket = socket;
        this.config = config;
        this.negotiator = new Negotiator(config);
        this.spool = spool;
        this.listener = listener;
        this.metrics = metrics;
        this.limit = limit;
    }

    @Override
    public void run() {
        // Not try-with-resources: that would close the socket before a catch could send the A-ABORT.
        try {
            socket.setTcpNoDelay(true);
            in = new DeadlineInputStream(socket, new BufferedInputStream(socket.getInputStream(), 1 << 16));
            reader = new PduReader(in, config.maxPduLength());
            writer = new PduWriter(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            in.deadline(config.artimMillis());
            Pdu first = reader.read();
            if (!(first instanceof Pdu.AssociateRq rq)) {
                throw new PduException(Abort.REASON_UNEXPECTED_PDU, "expected A-ASSOCIATE-RQ");
            }
            negotiate(rq);
        } catch (PduException e) {
            LOG.log(System.Logger.Level.INFO, "aborting an association: " + e.getMessage());
            abort(e.abortReason());
        } catch (SocketTimeoutException e) {
            LOG.log(System.Logger.Level.INFO, "aborting an association: its " + (associated ? "DIMSE" : "ARTIM") + " timer expired");
            if (associated) {
                metrics.dimseTimedOut();
            }
            abort(Abort.REASON_NOT_SPECIFIED);
        } catch (EOFException e) {
            LOG.log(System.Logger.Level.DEBUG, "peer closed the connection: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "association ended: " + e);
        } finally {
            message.discard();
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    private void negotiate(Pdu.AssociateRq rq) throws IOException {
        AssociateRj rj = negotiator.reject(rq);
        if (rj == null && !limit.tryOpen()) {
            rj = new AssociateRj(AssociateRj.TRANSIENT, AssociateRj.SOURCE_PROVIDER_PRESENTATION,
                    AssociateRj.PRESENTATION_LOCAL_LIMIT_EXCEEDED);
        }
        if (rj != null) {
            metrics.rejected(rj);
            LOG.log(System.Logger.Level.INFO, "rejected an association: " + ScpMetrics.reasonName(rj));
            writer.write(rj);
            awaitClose();
            return;
        }
        try {
            Pdu.AssociateAc ac = negotiator.accept(rq);
            for (Pdu.PresentationContextAc pc : ac.contexts()) {
                if (pc.result() == Pdu.PresentationContextAc.ACCEPTANCE) {
                    transferSyntaxes.put(pc.id(), pc.transferSyntax());
                }
            }
            for (Pdu.PresentationContextRq pc : rq.contexts()) {
                abstractSyntaxes.put(pc.id(), pc.abstractSyntax());
            }
            callingAe = rq.callingAe();
            long peerMax = rq.user().maxPduLength();
            sendMax = (int) (peerMax == 0 || peerMax > SEND_CAP ? SEND_CAP : Math.max(peerMax, 16));
            writer.write(ac);
            serve();
        } finally {
            limit.close();
        }
    }

    /**
     * The associated state: PDUs until A-RELEASE or A-ABORT. Each PDU, the next message's first or
     * the rest of one under way, must arrive whole within the DIMSE timer.
     */
    private void serve() throws IOException {
        associated = true;
        while (true) {
            in.deadline(config.idleMillis());
            Pdu pdu = reader.read();
            if (pdu instanceof Pdu.PDataTf data) {
                for (Pdu.Pdv pdv : data.pdvs()) {
                    pdv(pdv);
                }
            } else if (pdu instanceof Pdu.ReleaseRq) {
                message.discard();
                writer.write(new Pdu.ReleaseRp());
                awaitClose();
                return;
            } else if (pdu instanceof Pdu.Abort) {
                LOG.log(System.Logger.Level.INFO, "the peer aborted the association");
                return;
            } else {
                throw new PduException(Abort.REASON_UNEXPECTED_PDU, "unexpected PDU " + pdu.getClass().getSimpleName());
            }
        }
    }

    /** After A-ASSOCIATE-RJ or A-RELEASE-RP the requestor closes; ARTIM bounds the wait. */
    private void awaitClose() {
        try {
            in.deadline(config.artimMillis());
            byte[] sink = new byte[512];
            while (in.read(sink, 0, sink.length) >= 0) {
                // PS3.8 says nothing more comes; whatever does is dropped
            }
        } catch (IOException e) {
            // timer expired or reset: close anyway
        }
    }

    private void abort(int reason) {
        metrics.aborted();
        if (writer == null) {
            return;
        }
        try {
            writer.write(new Abort(Abort.SOURCE_PROVIDER, reason));
            // Closing with unread input would reset the connection and could destroy the A-ABORT
            // before the peer reads it: half-close, then drop what still comes until ARTIM.
            socket.shutdownOutput();
            awaitClose();
        } catch (IOException e) {
            // the peer is gone: nothing to tell
        }
    }

    // ------------------------------------------------------------------ DIMSE messages

    private void pdv(Pdu.Pdv pdv) throws IOException {
        String ts = transferSyntaxes.get(pdv.contextId());
        if (ts == null) {
            throw new PduException(Abort.REASON_INVALID_PARAMETER, "PDV on presentation context " + pdv.contextId()
                    + ", which was not accepted");
        }
        if (pdv.command()) {
            DicomObject command = message.command(pdv);
            if (command != null) {
                command(command, pdv.contextId());
            }
        } else if (message.data(pdv, config.maxInstanceBytes())) {
            finishStore();
        }
    }

    private void command(DicomObject command, int contextId) throws IOException {
        int field = command.getInt(CommandSet.COMMAND_FIELD, -1);
        boolean dataSet = CommandSet.hasDataSet(command);
        if (field == CommandSet.C_ECHO_RQ && !dataSet) {
            respond(contextId, CommandSet.response(command, CommandSet.C_ECHO_RSP, Status.SUCCESS));
        } else if (field == CommandSet.C_STORE_RQ && dataSet) {
            startStore(command, contextId);
        } else if (field == CommandSet.C_ECHO_RQ || field == CommandSet.C_STORE_RQ) {
            throw new PduException(Abort.REASON_UNEXPECTED_PARAMETER, (dataSet ? "C-ECHO with" : "C-STORE without")
                    + " a data set");
        } else {
            unsupported(command, contextId, field, dataSet);
        }
    }

    /**
     * A command we do not perform (C-FIND, C-MOVE, C-GET, N-*, an unknown field) on a context we
     * accepted: its data set, if any, is read and dropped, and it is answered 0211 (Unrecognized
     * Operation) where a response exists. The association goes on (PS3.7 annex C).
     */
    private void unsupported(DicomObject command, int contextId, int field, boolean dataSet) throws IOException {
        metrics.unsupportedCommand();
        LOG.log(System.Logger.Level.INFO, "DIMSE command 0x" + Integer.toHexString(field) + " is not supported here: 0211");
        int rspField = CommandSet.responseField(field);
        if (dataSet) {
            message.expectData(command, contextId, null, Status.UNRECOGNIZED_OPERATION);
            message.respondWith(rspField);
        } else if (rspField >= 0) {
            respond(contextId, CommandSet.response(command, rspField, Status.UNRECOGNIZED_OPERATION));
        }
    }

    private void startStore(DicomObject command, int contextId) {
        String sopClass = command.getString(CommandSet.AFFECTED_SOP_CLASS_UID);
        String sopInstance = command.getString(CommandSet.AFFECTED_SOP_INSTANCE_UID);
        if (sopClass == null || sopInstance == null) {
            message.expectData(command, contextId, null, Status.CANNOT_UNDERSTAND);
        } else if (!sopClass.equals(abstractSyntaxes.get(contextId))) {
            message.expectData(command, contextId, null, Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS);
        } else if (spool.pastWatermark()) {
            message.expectData(command, contextId, null, Status.OUT_OF_RESOURCES);
        } else {
            try {
                TransferSyntax ts = TransferSyntax.of(transferSyntaxes.get(contextId));
                message.expectData(command, contextId, spool.begin(callingAe, sopClass, sopInstance, ts), Status.SUCCESS);
            } catch (IOException e) {
                message.expectData(command, contextId, null, Status.OUT_OF_RESOURCES);
            }
        }
    }

    private void finishStore() throws IOException {
        DicomObject command = message.pendingCommand();
        int contextId = message.pendingContext();
        long received = message.received();
        int rspField = message.responseField();
        Spool.Outcome outcome = message.commit();
        if (rspField < 0) {
            return; // a message that has no response (C-CANCEL-RQ, a stray response)
        }
        DicomObject rsp = CommandSet.response(command, rspField, outcome.status());
        if (outcome.reason() != null) {
            String comment = outcome.reason();
            rsp.putString(CommandSet.ERROR_COMMENT, VR.LO, comment.length() > 64 ? comment.substring(0, 64) : comment);
        }
        respond(contextId, rsp);
        if (outcome.instance() != null) {
            metrics.received(received);
            try {
                listener.stored(outcome.instance());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the instance listener failed", e);
            }
        }
    }

    private void respond(int contextId, DicomObject rsp) throws IOException {
        byte[] bytes = CommandSet.encode(rsp);
        int chunk = sendMax - 6;
        for (int off = 0; off < bytes.length; off += chunk) {
            int len = Math.min(chunk, bytes.length - off);
            writer.writePData(contextId, true, off + len == bytes.length, bytes, off, len);
        }
        writer.flush();
    }

    /**
     * The message being received: command fragments up to {@link CommandSet#MAX_COMMAND_BYTES},
     * then the data set's fragments into the spool (or nowhere, when its status is already an error).
     */
    private static final class Message {
        private final ByteArrayOutputStream commandBytes = new ByteArrayOutputStream();
        private int commandContext = -1;
        private DicomObject pending;
        private int pendingContext;
        private Spool.Entry entry;
        private int status;
        private long received;
        private int responseField = CommandSet.C_STORE_RSP;

        /** Adds a command fragment; the command once it is complete, else null. */
        DicomObject command(Pdu.Pdv pdv) throws PduException {
            if (pending != null) {
                throw new PduException(Abort.REASON_UNEXPECTED_PARAMETER, "a command fragment while a data set is due");
            }
            if (commandContext >= 0 && commandContext != pdv.contextId()) {
                throw new PduException(Abort.REASON_UNEXPECTED_PARAMETER, "command fragments on two contexts");
            }
            if (commandBytes.size() + pdv.data().length > CommandSet.MAX_COMMAND_BYTES) {
                throw new PduException(Abort.REASON_INVALID_PARAMETER, "a command set longer than "
                        + CommandSet.MAX_COMMAND_BYTES + " bytes");
            }
            commandContext = pdv.contextId();
            commandBytes.writeBytes(pdv.data());
            if (!pdv.last()) {
                return null;
            }
            byte[] bytes = commandBytes.toByteArray();
            commandBytes.reset();
            commandContext = -1;
            try {
                return CommandSet.decode(bytes);
            } catch (DicomException e) {
                throw new PduException(Abort.REASON_INVALID_PARAMETER, "a command set that does not parse: " + e.getMessage());
            }
        }

        void expectData(DicomObject command, int contextId, Spool.Entry into, int statusIfNoEntry) {
            pending = command;
            pendingContext = contextId;
            entry = into;
            status = statusIfNoEntry;
            received = 0;
            responseField = CommandSet.C_STORE_RSP;
        }

        /** Answers the pending message with this command field instead of C-STORE-RSP; -1: not at all. */
        void respondWith(int field) {
            responseField = field;
        }

        int responseField() {
            return responseField;
        }

        /** Adds a data set fragment; true when it was the last. */
        boolean data(Pdu.Pdv pdv, long maxBytes) throws PduException {
            if (pending == null || pdv.contextId() != pendingContext) {
                throw new PduException(Abort.REASON_UNEXPECTED_PARAMETER, "a data set fragment without its command");
            }
            received += pdv.data().length;
            if (received > maxBytes) {
                throw new PduException(Abort.REASON_INVALID_PARAMETER, "a data set larger than " + maxBytes + " bytes");
            }
            if (entry != null) {
                try {
                    entry.write(pdv.data(), 0, pdv.data().length);
                } catch (IOException e) {
                    entry.discard();
                    entry = null;
                    status = Status.OUT_OF_RESOURCES;
                }
            }
            return pdv.last();
        }

        DicomObject pendingCommand() {
            return pending;
        }

        int pendingContext() {
            return pendingContext;
        }

        long received() {
            return received;
        }

        Spool.Outcome commit() {
            Spool.Outcome outcome = entry != null ? entry.commit() : new Spool.Outcome(status, null, statusReason(status));
            entry = null;
            pending = null;
            return outcome;
        }

        private static String statusReason(int status) {
            return switch (status) {
                case Status.OUT_OF_RESOURCES -> "the spool is past its free-space watermark or cannot be written";
                case Status.DATA_SET_DOES_NOT_MATCH_SOP_CLASS -> "SOP class differs from the presentation context's";
                case Status.UNRECOGNIZED_OPERATION -> "this SCP performs only C-ECHO and C-STORE";
                default -> "the command lacks SOP Class or Instance UID";
            };
        }

        /** Drops a half-received data set. */
        void discard() {
            if (entry != null) {
                entry.discard();
                entry = null;
            }
            pending = null;
        }
    }
}
