package io.roentgen.server.security;

import io.roentgen.server.ServerConfig;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.ServerFixture;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestPki;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTPS and mutual TLS against real handshakes: certificates made here with BouncyCastle, the
 * JDK's HTTP client, and OpenSSL's {@code s_client} as a peer that can still speak TLS 1.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsTest {
    static final String MODEL = "chest";
    static final String STUDY = "1.2.826.0.1.3680043.10.1137.20";

    @TempDir
    static Path dir;
    TestPki.Identity ca;
    TestPki.Identity otherCa;
    ServerFixture https;
    ServerFixture mutual;
    Path auditLog;

    @BeforeAll
    void start() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        TestRepository.addVersion(repo, MODEL, "1", 3);
        ca = TestPki.ca("Roentgen Test CA");
        otherCa = TestPki.ca("Other CA");
        // Server-only TLS from a PKCS12 key store with an RSA key...
        TestPki.writePkcs12(TestPki.server(ca, "keystore-server", true), dir.resolve("server.p12"), "changeit");
        TlsSettings keyStore = new TlsSettings(null, null, dir.resolve("server.p12"), "changeit", null, 1000);
        https = ServerFixture.start(ServerFixture.config(repo).withSecurity(SecuritySettings.NONE.withTls(keyStore)),
                ModelFormats.standard());
        // ...and mutual TLS from PEM files with an EC key, with an audit log that names the certificate.
        TestPki.writePem(TestPki.server(ca, "pem-server", false), dir.resolve("server.pem"), dir.resolve("server.key"));
        TestPki.writeCertificate(ca.certificate(), dir.resolve("client-ca.pem"));
        auditLog = dir.resolve("audit.jsonl");
        TlsSettings pem = TlsSettings.pem(dir.resolve("server.pem"), dir.resolve("server.key"), dir.resolve("client-ca.pem"));
        ServerConfig config = ServerFixture.config(repo).withSecurity(SecuritySettings.NONE.withTls(pem).withAudit(auditLog, null));
        mutual = ServerFixture.start(config, ModelFormats.standard());
    }

    @AfterAll
    void stop() {
        https.close();
        mutual.close();
    }

    @Test
    void classifiesOverHttps() throws Exception {
        assertEquals("https", https.server.scheme());
        HttpResponse<String> answer = classify(https, TestPki.clientContext(ca, null));
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"studyInstanceUid\":\"" + STUDY + "\""), answer.body());
        assertThrows(IOException.class, () -> classify(https, TestPki.clientContext(otherCa, null)),
                "a client that does not trust the server's CA refuses it");
    }

    @Test
    void mutualTlsTakesAClientCertificateOfTheCaAndNamesItInTheAuditLog() throws Exception {
        TestPki.Identity good = TestPki.client(ca, "good-client");
        HttpResponse<String> answer = classify(mutual, TestPki.clientContext(ca, good));
        assertEquals(200, answer.statusCode(), answer.body());
        String audit = Files.readString(auditLog, StandardCharsets.UTF_8);
        assertTrue(audit.contains("\"who\":\"" + good.subject() + "\""), audit);
        assertTrue(good.subject().contains("CN=good-client"), good.subject());
    }

    @Test
    void mutualTlsRefusesNoCertificateAnotherCaAndAnExpiredCertificate() throws Exception {
        assertRefused(TestPki.clientContext(ca, null), "no client certificate");
        assertRefused(TestPki.clientContext(ca, TestPki.client(otherCa, "stranger")), "a certificate of another CA");
        Instant now = Instant.now();
        TestPki.Identity expired = TestPki.client(ca, "expired", now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
        assertRefused(TestPki.clientContext(ca, expired), "an expired certificate");
    }

    @Test
    void refusesTls11AndTakesTls12() throws Exception {
        TestPki.Identity good = TestPki.client(ca, "openssl-client");
        TestPki.writePem(good, dir.resolve("client.pem"), dir.resolve("client.key"));
        String tls12 = sClient("-tls1_2");
        assertTrue(tls12.contains("New, TLSv1.2, Cipher is"), tls12);
        String tls11 = sClient("-tls1_1");
        assertTrue(tls11.contains("New, (NONE), Cipher is (NONE)"), tls11);
        assertTrue(tls11.contains("alert protocol version") || tls11.contains("alert handshake failure"), tls11);
    }

    /** OpenSSL's client forced to one protocol, with every cipher allowed, so that only the server can refuse. */
    private String sClient(String protocol) throws Exception {
        Process process = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + mutual.server.port(), protocol,
                "-cipher", "DEFAULT@SECLEVEL=0", "-CAfile", dir.resolve("client-ca.pem").toString(),
                "-cert", dir.resolve("client.pem").toString(), "-key", dir.resolve("client.key").toString())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl s_client ended");
        return output;
    }

    private void assertRefused(SSLContext client, String what) {
        assertThrows(IOException.class, () -> classify(mutual, client), "mutual TLS refuses " + what);
    }

    private static HttpResponse<String> classify(ServerFixture fixture, SSLContext ssl) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(fixture.uri("/v1/models/" + MODEL + "/classify"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SyntheticDicom.instance(STUDY, 1))).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
}
