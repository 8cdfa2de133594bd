package io.roentgen.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.roentgen.dicom.TransferSyntax;
import io.roentgen.dicom.Uids;

/**
 * Hostile peers: malformed PDUs, lengths past the end, endless PDVs and slow senders each end in
 * an A-ABORT (or a reject, or a plain close) within the timers, never a hang or a crash, and no
 * thread or socket outlives the run.
 */
class PduFuzzTest {
    private static final String EXPLICIT = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();
    /** How long a test waits for the SCP's answer: well past the SCP's 1 s idle and 0.5 s ARTIM timers. */
    private static final int ANSWER_MILLIS = 5_000;

    @TempDir
    Path tmp;

    private ScpFixture scp;
    private long socketsBefore;

    /**
     * The JDK opens a socket or two of its own on first use of networking (and keeps them); one
     * association first, so that the per-test baseline counts only ours.
     */
    @BeforeAll
    static void warmUp(@TempDir Path dir) throws IOException {
        try (ScpFixture warm = new ScpFixture(ScpFixture.config(dir));
                DicomScu scu = DicomScu.connect("127.0.0.1", warm.port(), "WARMUP", ScpFixture.AE,
                        List.of(DicomScu.context(1, SopClasses.VERIFICATION, EXPLICIT)), ANSWER_MILLIS)) {
            assertEquals(Status.SUCCESS, scu.echo(1));
            scu.release();
        }
    }

    @BeforeEach
    void start() throws IOException {
        socketsBefore = openSockets();
        scp = new ScpFixture(ScpConfig.of(ScpFixture.AE, 0, tmp).withMinFreeBytes(0).withTimers(500, 1_000)
                .withMaxInstanceBytes(1 << 20));
    }

    @AfterEach
    void noLeaks() throws Exception {
        try {
            ScpRejectionTest.waitForNoConnections(scp);
            assertEquals(0, scp.scp.metrics().associationsOpen());
            ScpRejectionTest.stillServes(scp);
        } finally {
            scp.close();
        }
        assertEquals(List.of(), associationThreads(), "no association thread outlives the SCP");
        assertEquals(socketsBefore, openSockets(), "no socket outlives the SCP");
    }

    @Test
    void unknownPduTypeIsAborted() throws Exception {
        assertAborted(send(new byte[] {0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0}), Pdu.Abort.REASON_UNRECOGNIZED_PDU);
    }

    @Test
    void hugeDeclaredLengthsAreAbortedBeforeAnyAllocation() throws Exception {
        assertAborted(send(new byte[] {0x01, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}), Pdu.Abort.REASON_INVALID_PARAMETER);
        assertAborted(send(new byte[] {0x05, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0}), Pdu.Abort.REASON_INVALID_PARAMETER);
    }

    @Test
    void aLengthPastTheEndIsCutByArtim() throws Exception {
        byte[] rq = associateRq();
        byte[] cut = Arrays.copyOf(rq, rq.length / 2);
        assertAborted(send(cut), Pdu.Abort.REASON_NOT_SPECIFIED);
    }

    @Test
    void anItemLongerThanItsPduIsAborted() throws Exception {
        byte[] rq = associateRq();
        rq[6 + 68 + 2] = (byte) 0x7F; // the application context item claims ~32 KB
        assertAborted(send(rq), Pdu.Abort.REASON_INVALID_PARAMETER);
    }

    @Test
    void mutatedAssociateRequestsGetAnAnswerOrAClose() throws Exception {
        Random random = new Random(19);
        byte[] rq = associateRq();
        for (int i = 0; i < 150; i++) {
            byte[] m = rq.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                m = Arrays.copyOf(m, 6 + random.nextInt(m.length - 6));
                ByteBuffer.wrap(m, 2, 4).putInt(m.length - 6); // consistent PDU length, torn inside
            }
            int type = send(m).type();
            assertTrue(Set.of(-1, (int) Pdu.ASSOCIATE_AC, (int) Pdu.ASSOCIATE_RJ, (int) Pdu.ABORT).contains(type),
                    "mutation " + i + " got PDU type " + type);
        }
    }

    @Test
    void pdataLongerThanTheNegotiatedMaximumIsAborted() throws Exception {
        try (Socket s = associated()) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0x04, 0, 0x7F, 0, 0, 0});
            out.flush();
            assertAborted(answer(s), Pdu.Abort.REASON_INVALID_PARAMETER);
        }
    }

    @Test
    void aPdvLongerThanItsPduIsAborted() throws Exception {
        try (Socket s = associated()) {
            s.getOutputStream().write(new byte[] {0x04, 0, 0, 0, 0, 8, 0, 0, 0x10, 0, 1, 3, 0, 0});
            assertAborted(answer(s), Pdu.Abort.REASON_INVALID_PARAMETER);
        }
    }

    @Test
    void aCommandThatNeverEndsIsAborted() throws Exception {
        try (Socket s = associated()) {
            byte[] fragment = new byte[16_000];
            try {
                for (int i = 0; i < 10; i++) {
                    s.getOutputStream().write(pdata(1, true, false, fragment));
                }
            } catch (SocketException e) {
                // the SCP aborted and closed while we were still writing
            }
            assertAborted(answer(s), Pdu.Abort.REASON_INVALID_PARAMETER);
        }
    }

    @Test
    void endlessDataSetFragmentsAreAbortedAtTheInstanceLimit() throws Exception {
        try (Socket s = associated()) {
            s.getOutputStream().write(pdata(1, true, true,
                    CommandSet.encode(CommandSet.storeRq(1, SyntheticStudy.CT_IMAGE_STORAGE, Uids.generate()))));
            byte[] fragment = new byte[64_000];
            try {
                for (int i = 0; i < 40; i++) {
                    s.getOutputStream().write(pdata(1, false, false, fragment));
                }
            } catch (SocketException e) {
                // aborted and closed under us
            }
            assertAborted(answer(s), Pdu.Abort.REASON_INVALID_PARAMETER);
        }
        try (Stream<Path> walk = Files.walk(tmp)) {
            assertEquals(List.of(), walk.filter(p -> p.toString().endsWith(".part")).toList());
        }
    }

    @Test
    void aSlowSenderIsCutByTheIdleTimer() throws Exception {
        try (Socket s = associated()) {
            byte[] echo = pdata(1, true, true, CommandSet.encode(CommandSet.echoRq(1)));
            OutputStream out = s.getOutputStream();
            try {
                for (byte b : echo) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (SocketException e) {
                // cut off
            }
            // Sent whole, the echo would get its response (P-DATA); the timer's A-ABORT means it was cut.
            assertAborted(answer(s), Pdu.Abort.REASON_NOT_SPECIFIED);
        }
    }

    @Test
    void aCommandOnAContextThatWasNotAcceptedIsAborted() throws Exception {
        try (Socket s = associated()) {
            s.getOutputStream().write(pdata(3, true, true, CommandSet.encode(CommandSet.echoRq(1))));
            assertAborted(answer(s), Pdu.Abort.REASON_INVALID_PARAMETER);
        }
    }

    @Test
    void mutatedCommandsGetAResponseOrAnAbort() throws Exception {
        Random random = new Random(7);
        byte[] command = CommandSet.encode(CommandSet.echoRq(1));
        for (int i = 0; i < 60; i++) {
            byte[] m = command.clone();
            m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            try (Socket s = associated()) {
                s.getOutputStream().write(pdata(1, true, true, m));
                int type = answer(s).type();
                assertTrue(type == Pdu.P_DATA_TF || type == Pdu.ABORT || type == -1, "mutation " + i + " got " + type);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The answering PDU's type (-1: the SCP closed without one) and, for an A-ABORT, its reason. */
    private record Answer(int type, int reason) {}

    private static void assertAborted(Answer answer, int reason) {
        assertEquals(new Answer(Pdu.ABORT, reason), answer, "A-ABORT with reason " + reason);
    }

    /** Sends bytes on a new connection; the PDU that answers. */
    private Answer send(byte[] bytes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", scp.port())) {
            try {
                s.getOutputStream().write(bytes);
            } catch (SocketException e) {
                // closed before we finished: the answer may still be readable
            }
            return answer(s);
        }
    }

    /** Reads the answering PDU's header (and an A-ABORT's reason). Fails on a hang. */
    private static Answer answer(Socket s) throws IOException {
        s.setSoTimeout(ANSWER_MILLIS);
        InputStream in = s.getInputStream();
        byte[] head = new byte[10];
        int n = 0;
        try {
            while (n < 10) {
                int r = in.read(head, n, 10 - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the SCP neither answered nor closed within " + ANSWER_MILLIS + " ms", e);
        } catch (SocketException e) {
            // reset after the answer
        }
        if (n < 6) {
            return new Answer(-1, 0);
        }
        int type = head[0] & 0xFF;
        return new Answer(type, type == Pdu.ABORT ? head[9] & 0xFF : 0);
    }

    /** A socket with an association whose context 1 is Verification and 3 is CT storage, refused. */
    private Socket associated() throws IOException {
        Socket s = new Socket("127.0.0.1", scp.port());
        s.getOutputStream().write(associateRq());
        s.setSoTimeout(ANSWER_MILLIS);
        InputStream in = s.getInputStream();
        byte[] head = in.readNBytes(6);
        assertEquals(Pdu.ASSOCIATE_AC, head[0]);
        in.readNBytes(ByteBuffer.wrap(head, 2, 4).getInt());
        return s;
    }

    private static byte[] associateRq() {
        return PduWriter.encode(new Pdu.AssociateRq(1, ScpFixture.AE, "FUZZER", Pdu.APPLICATION_CONTEXT, List.of(
                DicomScu.context(1, SopClasses.VERIFICATION, EXPLICIT),
                DicomScu.context(3, "1.2.3.4", EXPLICIT),
                DicomScu.context(5, SyntheticStudy.CT_IMAGE_STORAGE, EXPLICIT)),
                new Pdu.UserInformation(16_384, Uids.IMPLEMENTATION_CLASS_UID, "FUZZ")));
    }

    private static byte[] pdata(int context, boolean command, boolean last, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new PduWriter(out).writePData(context, command, last, data, 0, data.length);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static List<String> associationThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("dicom-scp")).toList();
    }

    /** Sockets this process holds open, from /proc (Linux, as CI). */
    private static long openSockets() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
