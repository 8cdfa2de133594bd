package io.roentgen.dicom.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

import io.roentgen.dicom.DicomException;
import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.Uids;
import io.roentgen.dicom.net.Pdu.Abort;

/**
 * A minimal association requestor: C-ECHO and C-STORE of data sets already encoded in the
 * accepted transfer syntax, one message at a time. Every read is bounded by a timeout.
 */
public final class DicomScu implements AutoCloseable {
    private final Socket socket;
    private final DeadlineInputStream in;
    private final PduReader reader;
    private final PduWriter writer;
    private final int timeoutMillis;
    private final Pdu.AssociateAc accepted;
    private final int sendMax;
    private int messageId;

    private DicomScu(Socket socket, int timeoutMillis, Pdu.AssociateRq rq, int maxReceive) throws IOException {
        this.socket = socket;
        this.timeoutMillis = timeoutMillis;
        this.in = new DeadlineInputStream(socket, new BufferedInputStream(socket.getInputStream(), 1 << 16));
        this.reader = new PduReader(in, maxReceive);
        this.writer = new PduWriter(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        writer.write(rq);
        in.deadline(timeoutMillis);
        Pdu answer = reader.read();
        if (answer instanceof Pdu.AssociateRj rj) {
            throw new AssociationRejectedException(rj);
        }
        if (!(answer instanceof Pdu.AssociateAc ac)) {
            throw new PduException(Abort.REASON_UNEXPECTED_PDU, "expected A-ASSOCIATE-AC, got " + answer);
        }
        this.accepted = ac;
        long peerMax = ac.user().maxPduLength();
        this.sendMax = (int) (peerMax == 0 || peerMax > (1 << 20) ? 1 << 20 : Math.max(peerMax, 16));
    }

    /** Opens an association proposing {@code contexts}, receiving P-DATA-TF of up to 256 KiB. */
    public static DicomScu connect(String host, int port, String callingAe, String calledAe,
            List<Pdu.PresentationContextRq> contexts, int timeoutMillis) throws IOException {
        return connect(host, port, callingAe, calledAe, contexts, timeoutMillis, 256 * 1024);
    }

    /** Opens an association announcing {@code maxReceive}; a longer P-DATA-TF from the peer is a protocol error. */
    public static DicomScu connect(String host, int port, String callingAe, String calledAe,
            List<Pdu.PresentationContextRq> contexts, int timeoutMillis, int maxReceive) throws IOException {
        return connect(host, port, callingAe, calledAe, contexts, timeoutMillis, maxReceive, null);
    }

    /** As above, over DICOM TLS when {@code tls} is not null (the handshake is bounded by {@code timeoutMillis} too). */
    public static DicomScu connect(String host, int port, String callingAe, String calledAe,
            List<Pdu.PresentationContextRq> contexts, int timeoutMillis, int maxReceive, DicomTls tls) throws IOException {
        Pdu.AssociateRq rq = new Pdu.AssociateRq(1, calledAe, callingAe, Pdu.APPLICATION_CONTEXT, contexts,
                new Pdu.UserInformation(maxReceive, Uids.IMPLEMENTATION_CLASS_UID, Uids.IMPLEMENTATION_VERSION_NAME));
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setTcpNoDelay(true);
            if (tls == null) {
                return new DicomScu(socket, timeoutMillis, rq, maxReceive);
            }
            socket.setSoTimeout(timeoutMillis);
            return new DicomScu(tls.connect(socket, host), timeoutMillis, rq, maxReceive);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public Pdu.AssociateAc accepted() {
        return accepted;
    }

    /** The accepted transfer syntax of a context, or null when it was rejected. */
    public String transferSyntax(int contextId) {
        for (Pdu.PresentationContextAc pc : accepted.contexts()) {
            if (pc.id() == contextId && pc.result() == Pdu.PresentationContextAc.ACCEPTANCE) {
                return pc.transferSyntax();
            }
        }
        return null;
    }

    /** C-ECHO on {@code contextId}; the response's status. */
    public int echo(int contextId) throws IOException {
        sendCommand(contextId, CommandSet.echoRq(++messageId));
        return response().getInt(CommandSet.STATUS, -1);
    }

    /** C-STORE of a data set encoded in the context's transfer syntax; the response. */
    public DicomObject store(int contextId, String sopClass, String sopInstance, byte[] dataSet) throws IOException {
        sendCommand(contextId, CommandSet.storeRq(++messageId, sopClass, sopInstance));
        sendData(contextId, dataSet, 0, dataSet.length, true);
        return response();
    }

    public void sendCommand(int contextId, DicomObject command) throws IOException {
        byte[] bytes = CommandSet.encode(command);
        sendFragments(contextId, true, bytes, 0, bytes.length, true);
    }

    /** Sends data set bytes as fragments; {@code last} marks the final fragment of the data set. */
    public void sendData(int contextId, byte[] b, int off, int len, boolean last) throws IOException {
        sendFragments(contextId, false, b, off, len, last);
    }

    private void sendFragments(int contextId, boolean command, byte[] b, int off, int len, boolean last) throws IOException {
        int chunk = sendMax - 6;
        int end = off + len;
        do {
            int n = Math.min(chunk, end - off);
            writer.writePData(contextId, command, last && off + n == end, b, off, n);
            off += n;
        } while (off < end);
        writer.flush();
    }

    /** The next response command set. */
    public DicomObject response() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            in.deadline(timeoutMillis);
            Pdu pdu = reader.read();
            if (!(pdu instanceof Pdu.PDataTf data)) {
                throw new PduException(Abort.REASON_UNEXPECTED_PDU, "expected a response, got " + pdu);
            }
            for (Pdu.Pdv pdv : data.pdvs()) {
                bytes.writeBytes(pdv.data());
                if (pdv.command() && pdv.last()) {
                    try {
                        return CommandSet.decode(bytes.toByteArray());
                    } catch (DicomException e) {
                        throw new PduException(Abort.REASON_INVALID_PARAMETER, "response does not parse: " + e.getMessage());
                    }
                }
            }
        }
    }

    /** A-RELEASE: asks, waits for the A-RELEASE-RP, closes. */
    public void release() throws IOException {
        try {
            writer.write(new Pdu.ReleaseRq());
            in.deadline(timeoutMillis);
            Pdu pdu = reader.read();
            if (!(pdu instanceof Pdu.ReleaseRp)) {
                throw new PduException(Abort.REASON_UNEXPECTED_PDU, "expected A-RELEASE-RP, got " + pdu);
            }
        } finally {
            socket.close();
        }
    }

    /** A-ABORT (service user), then close. */
    public void abort() throws IOException {
        try {
            writer.write(new Abort(Abort.SOURCE_USER, Abort.REASON_NOT_SPECIFIED));
        } finally {
            socket.close();
        }
    }

    /** The next PDU, whatever it is (for tests of how the peer answers). */
    public Pdu readPdu() throws IOException {
        in.deadline(timeoutMillis);
        return reader.read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A context proposing one abstract syntax with the given transfer syntaxes. */
    public static Pdu.PresentationContextRq context(int id, String abstractSyntax, String... transferSyntaxes) {
        return new Pdu.PresentationContextRq(id, abstractSyntax, List.of(transferSyntaxes));
    }
}
