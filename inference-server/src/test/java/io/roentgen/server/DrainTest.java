package io.roentgen.server;

import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.RawHttp;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stop with idle keep-alive connections open and nothing in flight: a request a client sends on
 * one of them just after the stop began is answered (503 with {@code Connection: close}) instead
 * of meeting a closed socket, the connection then ends cleanly, and a new connection is refused.
 */
class DrainTest {
    private static final int CONNECTIONS = 16;

    @TempDir
    Path repo;

    @Test
    void requestsOnKeepAliveConnectionsDuringTheStopAreAnsweredAndTheConnectionsClose() throws Exception {
        TestRepository.addVersion(repo, "chest", "1", 11);
        ServerFixture fixture = ServerFixture.start(ServerFixture.config(repo), ModelFormats.standard());
        int port = fixture.server.port();
        byte[] dicom = SyntheticDicom.instance("1.2.826.0.1.3680043.10.1137.21", 1);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(15_000);
                sockets.add(socket);
                assertTrue(exchange(socket, dicom).startsWith("HTTP/1.1 200"), "warm keep-alive connection " + i);
            }
            Thread stopper = new Thread(fixture.server::stop, "stop");
            stopper.start();
            Thread.sleep(50);
            int answered = 0;
            for (Socket socket : sockets) {
                String answer = exchange(socket, dicom);
                assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
                assertTrue(answer.toLowerCase(Locale.ROOT).contains("connection: close"), answer);
                assertEquals(-1, socket.getInputStream().read(), "the server closes the connection after that answer");
                answered++;
            }
            assertEquals(CONNECTIONS, answered, "every request sent was answered");
            assertThrows(ConnectException.class, () -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2000),
                    "with nothing in flight the port closes at once: a new connection is refused");
            stopper.join(30_000);
            assertTrue(!stopper.isAlive(), "the stop finished");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            fixture.close();
        }
    }

    /** One keep-alive classify request on {@code socket}; the answer's head and body. */
    private static String exchange(Socket socket, byte[] dicom) throws IOException {
        socket.getOutputStream().write(("POST /v1/models/chest/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/dicom\r\n"
                + "Content-Length: " + dicom.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().write(dicom);
        socket.getOutputStream().flush();
        return RawHttp.readResponse(socket.getInputStream());
    }
}
