package io.roentgen.server.security;

import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.Await;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestPki;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's certificate is replaced on disk while clients keep classifying: no request fails,
 * and new handshakes get the new certificate without a restart.
 */
class CertificateReloadTest {
    @TempDir
    Path dir;

    @Test
    void aReplacedCertificateIsServedToNewConnectionsWhileRequestsKeepSucceeding() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        TestRepository.addVersion(repo, "chest", "1", 4);
        TestPki.Identity ca = TestPki.ca("Reload CA");
        TestPki.Identity first = TestPki.server(ca, "first", false);
        TestPki.Identity second = TestPki.server(ca, "second", false);
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        TestPki.writePem(first, cert, key);
        TlsSettings tls = TlsSettings.pem(cert, key, null).withReloadCheckMillis(50);
        SSLContext client = TestPki.clientContext(ca, null);
        try (ServerFixture fixture = ServerFixture.start(ServerFixture.config(repo).withSecurity(SecuritySettings.NONE.withTls(tls)),
                ModelFormats.standard())) {
            assertEquals(first.certificate().getSerialNumber(), servedSerial(fixture, ca));
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger succeeded = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> load = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 3; i++) {
                // Two clients keep their connections; one opens a new connection for every request.
                boolean fresh = i == 2;
                Thread thread = new Thread(() -> classifyUntilStopped(fixture, client, fresh, running, succeeded, failures));
                thread.start();
                load.add(thread);
            }
            Await.until(() -> succeeded.get() >= 6, "requests before the swap");
            TestPki.writePem(second, cert, key);
            Await.until(() -> second.certificate().getSerialNumber().equals(servedSerialOrNull(fixture, ca)),
                    Duration.ofSeconds(20), "new connections see the new certificate");
            int atSwap = succeeded.get();
            Await.until(() -> succeeded.get() >= atSwap + 6, "requests after the swap");
            running.set(false);
            for (Thread thread : load) {
                thread.join(30_000);
            }
            assertTrue(failures.isEmpty(), "failed during the reload: " + failures);
        }
    }

    private static void classifyUntilStopped(ServerFixture fixture, SSLContext ssl, boolean fresh, AtomicBoolean running,
            AtomicInteger succeeded, ConcurrentLinkedQueue<String> failures) {
        HttpClient kept = HttpClient.newBuilder().sslContext(ssl).build();
        int seed = 0;
        while (running.get()) {
            HttpClient client = fresh ? HttpClient.newBuilder().sslContext(ssl).build() : kept;
            try {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(fixture.uri("/v1/models/chest/classify"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/dicom")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(SyntheticDicom.instance("1.2.3.4", seed++ % 4))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    succeeded.incrementAndGet();
                } else {
                    failures.add(answer.statusCode() + " " + answer.body());
                }
            } catch (Exception e) {
                failures.add(e.toString());
            }
        }
    }

    /** The serial of the certificate a new handshake gets: a new client context, so no session is resumed. */
    private static BigInteger servedSerial(ServerFixture fixture, TestPki.Identity ca) throws Exception {
        try (SSLSocket socket = (SSLSocket) TestPki.clientContext(ca, null).getSocketFactory().createSocket("127.0.0.1", fixture.server.port())) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static BigInteger servedSerialOrNull(ServerFixture fixture, TestPki.Identity ca) {
        try {
            return servedSerial(fixture, ca);
        } catch (Exception e) {
            return null;
        }
    }
}
