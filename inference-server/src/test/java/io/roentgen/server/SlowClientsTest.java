package io.roentgen.server;

import io.roentgen.server.admission.ServerLimits;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 300 connections from one address dribble a request body at one byte every 5 s. The per-client
 * cap closes most of them at once, the minimum data rate cuts off the rest, and meanwhile health
 * and classification from another client address answer within a second.
 */
class SlowClientsTest {
    private static final int DRIBBLERS = 300;
    private static final int CAP = 64;

    @TempDir
    Path repo;

    @Test
    void dribblingBodiesDoNotStarveOtherClients() throws Exception {
        TestRepository.addVersion(repo, "chest", "1", 11);
        ServerLimits limits = ServerLimits.defaults().withConnections(CAP, 30_000, 1024);
        try (ServerFixture fixture = ServerFixture.start(ServerFixture.config(repo).withLimits(limits), ModelFormats.standard())) {
            int port = fixture.server.port();
            byte[] dicom = SyntheticDicom.instance("1.2.826.0.1.3680043.10.1137.20", 1);
            List<Socket> dribblers = new ArrayList<>();
            try {
                for (int i = 0; i < DRIBBLERS; i++) {
                    dribblers.add(startDribble(port));
                }
                long until = System.nanoTime() + 12_000_000_000L;
                long nextDrip = System.nanoTime() + 5_000_000_000L;
                int answered = 0;
                while (System.nanoTime() < until) {
                    assertAnswersWithinASecond(port, "GET /v2/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200);
                    assertAnswersWithinASecond(port, "GET /v2/health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200);
                    assertAnswersWithinASecond(port, "POST /v1/models/chest/classify HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                            + "Content-Type: application/dicom\r\nContent-Length: " + dicom.length + "\r\n\r\n", 200, dicom);
                    answered += 3;
                    if (System.nanoTime() > nextDrip) {
                        drip(dribblers);
                        nextDrip += 5_000_000_000L;
                    }
                    Thread.sleep(200);
                }
                assertTrue(answered >= 30, "the other client kept being answered: " + answered);
                String metrics = get(port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                double refused = Double.parseDouble(metrics.replaceAll("(?s).*\nroentgen_connections_refused_total (\\S+)\n.*", "$1"));
                assertTrue(refused >= DRIBBLERS - CAP, "connections over the per-client cap were closed: " + refused);
                assertTrue(metrics.contains("status=\"408\""), "dribbling bodies were cut off with 408");
            } finally {
                for (Socket s : dribblers) {
                    s.close();
                }
            }
        }
    }

    /** Headers announcing a large body, then its first byte. */
    private static Socket startDribble(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/models/chest/classify HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/dicom\r\n"
                    + "Content-Length: 1000000\r\n\r\nD").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException closedByTheServer) {
            // over the per-client cap: already closed
        }
        return socket;
    }

    private static void drip(List<Socket> dribblers) {
        for (Socket s : dribblers) {
            try {
                s.getOutputStream().write('I');
                s.getOutputStream().flush();
            } catch (IOException closedByTheServer) {
                // cut off, as it should be
            }
        }
    }

    private static void assertAnswersWithinASecond(int port, String head, int status, byte[]... body) throws IOException {
        long start = System.nanoTime();
        String answer = exchange(port, head, body.length == 0 ? new byte[0] : body[0], 1000);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(answer.startsWith("HTTP/1.1 " + status), head.lines().findFirst().orElse("") + ": " + answer);
        assertTrue(millis <= 1000, head.lines().findFirst().orElse("") + " took " + millis + " ms");
    }

    private static String get(int port, String head) throws IOException {
        return exchange(port, head, new byte[0], 10_000);
    }

    /** One request on a fresh connection from 127.0.0.2, a client address of its own. */
    private static String exchange(int port, String head, byte[] body, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer); // every request says Connection: close
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
