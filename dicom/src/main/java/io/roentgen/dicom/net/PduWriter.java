package io.roentgen.dicom.net;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Encodes PDUs (PS3.8 section 9.3) onto a stream; not thread-safe. */
public final class PduWriter {
    private final OutputStream out;
    private final byte[] pdvHeader = new byte[12];

    public PduWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes and flushes one PDU. */
    public void write(Pdu pdu) throws IOException {
        out.write(encode(pdu));
        out.flush();
    }

    /**
     * Writes one P-DATA-TF holding one PDV of {@code len} bytes, without copying them; the caller
     * fragments to the peer's maximum length. Not flushed.
     */
    public void writePData(int contextId, boolean command, boolean last, byte[] b, int off, int len) throws IOException {
        putInt(pdvHeader, 2, len + 6);
        pdvHeader[0] = Pdu.P_DATA_TF;
        pdvHeader[1] = 0;
        putInt(pdvHeader, 6, len + 2);
        out.write(pdvHeader, 0, 10);
        out.write(contextId);
        out.write((command ? 1 : 0) | (last ? 2 : 0));
        out.write(b, off, len);
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** The bytes of a PDU. */
    public static byte[] encode(Pdu pdu) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(body);
            int type;
            if (pdu instanceof Pdu.AssociateRq rq) {
                associateHead(d, rq.protocolVersion(), rq.calledAe(), rq.callingAe(), rq.applicationContext());
                for (Pdu.PresentationContextRq pc : rq.contexts()) {
                    ByteArrayOutputStream sub = new ByteArrayOutputStream();
                    DataOutputStream s = new DataOutputStream(sub);
                    s.write(new byte[] {(byte) pc.id(), 0, 0, 0});
                    stringItem(s, 0x30, pc.abstractSyntax());
                    for (String ts : pc.transferSyntaxes()) {
                        stringItem(s, 0x40, ts);
                    }
                    item(d, 0x20, sub.toByteArray());
                }
                userInformation(d, rq.user());
                type = Pdu.ASSOCIATE_RQ;
            } else if (pdu instanceof Pdu.AssociateAc ac) {
                associateHead(d, 1, ac.calledAe(), ac.callingAe(), ac.applicationContext());
                for (Pdu.PresentationContextAc pc : ac.contexts()) {
                    ByteArrayOutputStream sub = new ByteArrayOutputStream();
                    DataOutputStream s = new DataOutputStream(sub);
                    s.write(new byte[] {(byte) pc.id(), 0, (byte) pc.result(), 0});
                    stringItem(s, 0x40, pc.transferSyntax());
                    item(d, 0x21, sub.toByteArray());
                }
                userInformation(d, ac.user());
                type = Pdu.ASSOCIATE_AC;
            } else if (pdu instanceof Pdu.AssociateRj rj) {
                d.write(new byte[] {0, (byte) rj.result(), (byte) rj.source(), (byte) rj.reason()});
                type = Pdu.ASSOCIATE_RJ;
            } else if (pdu instanceof Pdu.PDataTf p) {
                for (Pdu.Pdv pdv : p.pdvs()) {
                    d.writeInt(pdv.data().length + 2);
                    d.write(pdv.contextId());
                    d.write((pdv.command() ? 1 : 0) | (pdv.last() ? 2 : 0));
                    d.write(pdv.data());
                }
                type = Pdu.P_DATA_TF;
            } else if (pdu instanceof Pdu.ReleaseRq r) {
                d.writeInt(0);
                type = Pdu.RELEASE_RQ;
            } else if (pdu instanceof Pdu.ReleaseRp r) {
                d.writeInt(0);
                type = Pdu.RELEASE_RP;
            } else if (pdu instanceof Pdu.Abort a) {
                d.write(new byte[] {0, 0, (byte) a.source(), (byte) a.reason()});
                type = Pdu.ABORT;
            } else {
                throw new IllegalArgumentException("unknown PDU " + pdu);
            }
            byte[] b = body.toByteArray();
            byte[] all = new byte[6 + b.length];
            all[0] = (byte) type;
            putInt(all, 2, b.length);
            System.arraycopy(b, 0, all, 6, b.length);
            return all;
        } catch (IOException e) {
            throw new AssertionError(e); // a byte array stream does not fail
        }
    }

    private static void associateHead(DataOutputStream d, int version, String called, String calling, String appContext)
            throws IOException {
        d.writeShort(version);
        d.writeShort(0);
        d.write(aeTitle(called));
        d.write(aeTitle(calling));
        d.write(new byte[32]);
        stringItem(d, 0x10, appContext);
    }

    private static void userInformation(DataOutputStream d, Pdu.UserInformation user) throws IOException {
        ByteArrayOutputStream sub = new ByteArrayOutputStream();
        DataOutputStream s = new DataOutputStream(sub);
        s.write(new byte[] {0x51, 0, 0, 4});
        s.writeInt((int) user.maxPduLength());
        if (user.implementationClassUid() != null) {
            stringItem(s, 0x52, user.implementationClassUid());
        }
        if (user.implementationVersionName() != null) {
            stringItem(s, 0x55, user.implementationVersionName());
        }
        item(d, 0x50, sub.toByteArray());
    }

    private static void stringItem(DataOutputStream d, int type, String value) throws IOException {
        item(d, type, value.getBytes(StandardCharsets.US_ASCII));
    }

    private static void item(DataOutputStream d, int type, byte[] value) throws IOException {
        if (value.length > 0xFFFF) {
            throw new IllegalArgumentException("item of " + value.length + " bytes");
        }
        d.write(type);
        d.write(0);
        d.writeShort(value.length);
        d.write(value);
    }

    /** An AE title as 16 bytes, space padded (PS3.8 9.3.2). */
    private static byte[] aeTitle(String ae) {
        byte[] b = new byte[16];
        Arrays.fill(b, (byte) ' ');
        byte[] s = ae.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, b, 0, Math.min(16, s.length));
        return b;
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
