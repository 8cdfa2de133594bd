package io.roentgen.server.security;

import io.roentgen.server.admission.ServerLimits;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.TestPki;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-client connection cap counts TLS sockets, not Jetty's two connections per socket:
 * with {@code --max-connections-per-client 4} an HTTPS client holds four keep-alive connections
 * that all answer, and only a fifth is closed (it counted each TLS socket twice, so the third was
 * cut off in its handshake; docs/DECISIONS.md 92).
 */
class TlsConnectionCapTest {
    private static final int CAP = 4;

    @TempDir
    Path dir;

    @Test
    void anHttpsClientHoldsAsManyConnectionsAsTheCap() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        TestRepository.addVersion(repo, "chest", "1", 3);
        TestPki.Identity ca = TestPki.ca("Roentgen Test CA");
        TestPki.writePem(TestPki.server(ca, "pem-server", false), dir.resolve("server.pem"), dir.resolve("server.key"));
        TlsSettings tls = TlsSettings.pem(dir.resolve("server.pem"), dir.resolve("server.key"), null);
        ServerLimits limits = ServerLimits.defaults().withConnections(CAP, 30_000, 1024);
        try (ServerFixture fixture = ServerFixture.start(ServerFixture.config(repo).withLimits(limits)
                .withSecurity(SecuritySettings.NONE.withTls(tls)), ModelFormats.standard())) {
            SSLContext client = TestPki.clientContext(ca, null);
            int port = fixture.server.port();
            List<SSLSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < CAP; i++) {
                    SSLSocket socket = open(client, port);
                    held.add(socket);
                    assertTrue(get(socket, "/v2/health/live").startsWith("HTTP/1.1 200"), "connection " + (i + 1));
                }
                for (SSLSocket socket : held) { // every one of them is still open and served
                    assertTrue(get(socket, "/v2/health/ready").startsWith("HTTP/1.1 200"));
                }
                assertThrows(IOException.class, () -> {
                    try (SSLSocket over = open(client, port)) {
                        get(over, "/v2/health/live");
                    }
                }, "a connection past the cap is closed");
                String metrics = get(held.get(0), "/metrics");
                assertTrue(metrics.contains("\nroentgen_connections_refused_total 1.0\n"), metrics);
                held.remove(0).close();
                SSLSocket again = awaitServed(client, port);
                held.add(again);
            } finally {
                for (SSLSocket socket : held) {
                    socket.close();
                }
            }
        }
    }

    /**
     * After a connection closes, the server hears of it asynchronously: a new one is served within
     * seconds. Until then the new one is closed, in its handshake or after it (whichever the
     * server's close meets), so both count as "refused still".
     */
    private static SSLSocket awaitServed(SSLContext client, int port) throws Exception {
        long until = System.nanoTime() + 10_000_000_000L;
        while (true) {
            SSLSocket socket = null;
            try {
                socket = open(client, port);
                if (get(socket, "/v2/health/live").startsWith("HTTP/1.1 200")) {
                    return socket;
                }
            } catch (IOException refusedStill) {
                if (System.nanoTime() > until) {
                    throw refusedStill;
                }
            }
            if (socket != null) {
                socket.close();
            }
            Thread.sleep(100);
        }
    }

    private static SSLSocket open(SSLContext client, int port) throws IOException {
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /** One keep-alive GET on the socket; the answer's head and body (Content-Length framed). */
    private static String get(SSLSocket socket, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before an answer: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        if (headText.toLowerCase(java.util.Locale.ROOT).contains("\r\ntransfer-encoding: chunked")) {
            return headText + chunks(in);
        }
        int length = headText.lines().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15))
                .map(l -> Integer.parseInt(l.substring(15).trim())).findFirst().orElse(0);
        return headText + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    private static String chunks(InputStream in) throws IOException {
        StringBuilder body = new StringBuilder();
        while (true) {
            int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
            if (size == 0) {
                line(in); // the empty line after the last chunk
                return body.toString();
            }
            body.append(new String(in.readNBytes(size), StandardCharsets.ISO_8859_1));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("closed inside a chunked body");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
