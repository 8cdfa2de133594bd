package io.roentgen.dicom.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.roentgen.dicom.net.Pdu.Abort;

/**
 * Reads PDUs from a stream with strict checks (PS3.8 section 9.3): every length is checked against
 * what encloses it and against a limit before anything is allocated, so a hostile peer gets a
 * {@link PduException} (then an A-ABORT), never a large allocation or a read past a PDU's end.
 */
public final class PduReader {
    /** A-ASSOCIATE-RQ/AC carry a few hundred contexts at most; 1 MiB is far beyond any real one. */
    static final int MAX_ASSOCIATE_LENGTH = 1 << 20;

    private final InputStream in;
    private final long maxPDataLength;
    private final byte[] header = new byte[6];

    /**
     * @param maxPDataLength the longest P-DATA-TF accepted: the maximum length this side announced
     */
    public PduReader(InputStream in, long maxPDataLength) {
        this.in = in;
        this.maxPDataLength = maxPDataLength;
    }

    /**
     * The next PDU.
     *
     * @throws EOFException when the stream ends, at a PDU boundary or inside one
     * @throws PduException when the PDU breaks PS3.8
     */
    public Pdu read() throws IOException {
        readFully(header, 0, 6);
        int type = header[0] & 0xFF;
        long length = ByteBuffer.wrap(header, 2, 4).getInt() & 0xFFFFFFFFL;
        long limit = switch (type) {
            case Pdu.ASSOCIATE_RQ, Pdu.ASSOCIATE_AC -> MAX_ASSOCIATE_LENGTH;
            case Pdu.P_DATA_TF -> maxPDataLength;
            case Pdu.ASSOCIATE_RJ, Pdu.RELEASE_RQ, Pdu.RELEASE_RP, Pdu.ABORT -> 4;
            default -> throw new PduException(Abort.REASON_UNRECOGNIZED_PDU, "unknown PDU type " + type);
        };
        if (length > limit) {
            throw new PduException(Abort.REASON_INVALID_PARAMETER,
                    "PDU type " + type + " of " + length + " bytes, more than the " + limit + " allowed");
        }
        byte[] body = new byte[(int) length];
        readFully(body, 0, body.length);
        ByteBuffer b = ByteBuffer.wrap(body);
        return switch (type) {
            case Pdu.ASSOCIATE_RQ -> associateRq(b);
            case Pdu.ASSOCIATE_AC -> associateAc(b);
            case Pdu.ASSOCIATE_RJ -> new Pdu.AssociateRj(exact4(b, 1), body[2] & 0xFF, body[3] & 0xFF);
            case Pdu.P_DATA_TF -> pData(b);
            case Pdu.RELEASE_RQ -> {
                exact4(b, 0);
                yield new Pdu.ReleaseRq();
            }
            case Pdu.RELEASE_RP -> {
                exact4(b, 0);
                yield new Pdu.ReleaseRp();
            }
            default -> new Pdu.Abort(exact4(b, 2), body[3] & 0xFF);
        };
    }

    private void readFully(byte[] buf, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(buf, off, len);
            if (n < 0) {
                throw new EOFException("connection closed with " + len + " bytes of a PDU still to come");
            }
            off += n;
            len -= n;
        }
    }

    /** The byte at {@code index} of a fixed 4-byte body, after checking its length. */
    private static int exact4(ByteBuffer b, int index) throws PduException {
        if (b.remaining() != 4) {
            throw new PduException(Abort.REASON_INVALID_PARAMETER, "a fixed PDU needs 4 bytes, has " + b.remaining());
        }
        return b.get(index) & 0xFF;
    }

    // ------------------------------------------------------------------ P-DATA-TF

    private static Pdu.PDataTf pData(ByteBuffer b) throws PduException {
        List<Pdu.Pdv> pdvs = new ArrayList<>();
        while (b.hasRemaining()) {
            need(b, 6, "PDV item header");
            long itemLength = b.getInt() & 0xFFFFFFFFL;
            if (itemLength < 2 || itemLength > b.remaining()) {
                throw new PduException(Abort.REASON_INVALID_PARAMETER,
                        "PDV item length " + itemLength + " with " + b.remaining() + " bytes left in the PDU");
            }
            int contextId = b.get() & 0xFF;
            int control = b.get() & 0xFF;
            if ((control & 0xFC) != 0) {
                throw new PduException(Abort.REASON_INVALID_PARAMETER, "reserved bits set in PDV header " + control);
            }
            byte[] data = new byte[(int) itemLength - 2];
            b.get(data);
            pdvs.add(new Pdu.Pdv(contextId, (control & 1) != 0, (control & 2) != 0, data));
        }
        if (pdvs.isEmpty()) {
            throw new PduException(Abort.REASON_INVALID_PARAMETER, "P-DATA-TF without a PDV");
        }
        return new Pdu.PDataTf(pdvs);
    }

    // ------------------------------------------------------------------ A-ASSOCIATE

    private record Head(int version, String called, String calling) {}

    private static Head associateHead(ByteBuffer b) throws PduException {
        need(b, 68, "A-ASSOCIATE header");
        int version = b.getShort() & 0xFFFF;
        b.getShort();
        String called = aeTitle(b);
        String calling = aeTitle(b);
        b.position(b.position() + 32);
        return new Head(version, called, calling);
    }

    private static Pdu.AssociateRq associateRq(ByteBuffer b) throws PduException {
        Head head = associateHead(b);
        String appContext = null;
        List<Pdu.PresentationContextRq> contexts = new ArrayList<>();
        Pdu.UserInformation user = null;
        Set<Integer> ids = new HashSet<>();
        while (b.hasRemaining()) {
            int type = itemType(b);
            ByteBuffer item = item(b);
            switch (type) {
                case 0x10 -> appContext = uid(item);
                case 0x20 -> {
                    Pdu.PresentationContextRq pc = contextRq(item);
                    if (!ids.add(pc.id())) {
                        throw new PduException(Abort.REASON_INVALID_PARAMETER, "presentation context " + pc.id() + " twice");
                    }
                    contexts.add(pc);
                }
                case 0x50 -> user = userInformation(item);
                default -> throw new PduException(Abort.REASON_UNRECOGNIZED_PARAMETER, "unknown item type " + type);
            }
        }
        requireHeadItems(appContext, user, contexts.isEmpty());
        return new Pdu.AssociateRq(head.version(), head.called(), head.calling(), appContext, contexts, user);
    }

    private static Pdu.AssociateAc associateAc(ByteBuffer b) throws PduException {
        Head head = associateHead(b);
        String appContext = null;
        List<Pdu.PresentationContextAc> contexts = new ArrayList<>();
        Pdu.UserInformation user = null;
        while (b.hasRemaining()) {
            int type = itemType(b);
            ByteBuffer item = item(b);
            switch (type) {
                case 0x10 -> appContext = uid(item);
                case 0x21 -> contexts.add(contextAc(item));
                case 0x50 -> user = userInformation(item);
                default -> throw new PduException(Abort.REASON_UNRECOGNIZED_PARAMETER, "unknown item type " + type);
            }
        }
        requireHeadItems(appContext, user, contexts.isEmpty());
        return new Pdu.AssociateAc(head.called(), head.calling(), appContext, contexts, user);
    }

    private static void requireHeadItems(String appContext, Pdu.UserInformation user, boolean noContexts)
            throws PduException {
        if (appContext == null || user == null || noContexts) {
            throw new PduException(Abort.REASON_INVALID_PARAMETER,
                    "A-ASSOCIATE without an application context, a presentation context or user information");
        }
    }

    private static Pdu.PresentationContextRq contextRq(ByteBuffer item) throws PduException {
        need(item, 4, "presentation context");
        int id = item.get() & 0xFF;
        item.position(item.position() + 3);
        if ((id & 1) == 0) {
            throw new PduException(Abort.REASON_INVALID_PARAMETER, "even presentation context ID " + id);
        }
        String abstractSyntax = null;
        List<String> transferSyntaxes = new ArrayList<>();
        while (item.hasRemaining()) {
            int type = itemType(item);
            ByteBuffer sub = item(item);
            if (type == 0x30 && abstractSyntax == null) {
                abstractSyntax = uid(sub);
            } else if (type == 0x40) {
                transferSyntaxes.add(uid(sub));
            } else {
                throw new PduException(Abort.REASON_UNEXPECTED_PARAMETER, "sub-item " + type + " in presentation context " + id);
            }
        }
        if (abstractSyntax == null || transferSyntaxes.isEmpty()) {
            throw new PduException(Abort.REASON_INVALID_PARAMETER, "presentation context " + id + " lacks a syntax");
        }
        return new Pdu.PresentationContextRq(id, abstractSyntax, transferSyntaxes);
    }

    private static Pdu.PresentationContextAc contextAc(ByteBuffer item) throws PduException {
        need(item, 4, "presentation context");
        int id = item.get() & 0xFF;
        item.get();
        int result = item.get() & 0xFF;
        item.get();
        String ts = "";
        while (item.hasRemaining()) {
            int type = itemType(item);
            ByteBuffer sub = item(item);
            if (type != 0x40) {
                throw new PduException(Abort.REASON_UNEXPECTED_PARAMETER, "sub-item " + type + " in presentation context " + id);
            }
            ts = text(sub, 64); // empty, or anything, when the context was rejected (PS3.8 9.3.3.2)
        }
        if (result == Pdu.PresentationContextAc.ACCEPTANCE && ts.isEmpty()) {
            throw new PduException(Abort.REASON_INVALID_PARAMETER, "accepted presentation context " + id + " without a syntax");
        }
        return new Pdu.PresentationContextAc(id, result, ts);
    }

    private static Pdu.UserInformation userInformation(ByteBuffer item) throws PduException {
        long maxLength = 0;
        String classUid = null;
        String version = null;
        while (item.hasRemaining()) {
            int type = itemType(item);
            ByteBuffer sub = item(item);
            switch (type) {
                case 0x51 -> {
                    if (sub.remaining() != 4) {
                        throw new PduException(Abort.REASON_INVALID_PARAMETER, "maximum length sub-item of " + sub.remaining() + " bytes");
                    }
                    maxLength = sub.getInt() & 0xFFFFFFFFL;
                }
                case 0x52 -> classUid = uid(sub);
                case 0x55 -> version = text(sub, 16);
                default -> { } // asynchronous window, roles, extended negotiation, identity: not negotiated
            }
        }
        return new Pdu.UserInformation(maxLength, classUid, version);
    }

    // ------------------------------------------------------------------ items

    private static int itemType(ByteBuffer b) throws PduException {
        need(b, 4, "item header");
        return b.get() & 0xFF;
    }

    /** The item's value as a slice (the type byte was read), after checking its length fits. */
    private static ByteBuffer item(ByteBuffer b) throws PduException {
        b.get();
        int length = b.getShort() & 0xFFFF;
        if (length > b.remaining()) {
            throw new PduException(Abort.REASON_INVALID_PARAMETER,
                    "item of " + length + " bytes with " + b.remaining() + " left in what encloses it");
        }
        ByteBuffer slice = b.slice();
        slice.limit(length);
        b.position(b.position() + length);
        return slice;
    }

    private static void need(ByteBuffer b, int n, String what) throws PduException {
        if (b.remaining() < n) {
            throw new PduException(Abort.REASON_INVALID_PARAMETER, what + " needs " + n + " bytes, " + b.remaining() + " left");
        }
    }

    private static String aeTitle(ByteBuffer b) {
        byte[] ae = new byte[16];
        b.get(ae);
        return new String(ae, StandardCharsets.US_ASCII).strip();
    }

    private static String uid(ByteBuffer b) throws PduException {
        String uid = text(b, 64);
        if (uid.isEmpty()) {
            throw new PduException(Abort.REASON_INVALID_PARAMETER, "empty UID");
        }
        return uid;
    }

    /** ASCII text without trailing NUL or space padding, at most {@code max} characters. */
    private static String text(ByteBuffer b, int max) throws PduException {
        if (b.remaining() > max + 1) {
            throw new PduException(Abort.REASON_INVALID_PARAMETER, "a value of " + b.remaining() + " bytes, more than " + max);
        }
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == 0 || bytes[end - 1] == ' ')) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }
}
