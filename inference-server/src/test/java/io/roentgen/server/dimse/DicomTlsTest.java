package io.roentgen.server.dimse;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomReader;
import io.roentgen.dicom.DicomWriter;
import io.roentgen.dicom.Tag;
import io.roentgen.dicom.net.DicomTls;
import io.roentgen.dicom.net.Endpoint;
import io.roentgen.dicom.net.ScpConfig;
import io.roentgen.dicom.sr.AlgorithmId;
import io.roentgen.dicom.sr.ClassProbability;
import io.roentgen.dicom.sr.LabelCodes;
import io.roentgen.dicom.sr.MeasurementReportWriter;
import io.roentgen.dicom.sr.ReportOptions;
import io.roentgen.dicom.sr.ScoredImage;
import io.roentgen.dicom.sr.SourceImage;
import io.roentgen.dicom.sr.StudyReport;
import io.roentgen.server.export.CStoreSender;
import io.roentgen.server.export.ResultDestination;
import io.roentgen.server.export.SendException;
import io.roentgen.server.security.SslContexts;
import io.roentgen.server.security.TlsSettings;
import io.roentgen.server.testing.Await;
import io.roentgen.server.testing.SyntheticDicom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DICOM TLS (PS3.15 B.1) against dcmtk, with keys and certificates made by openssl here: a CA,
 * the node's and a client's certificate from it, and a client certificate from another CA.
 * echoscu and storescu {@code +tls} reach the node's TLS port with mutual TLS; a plain client on
 * the TLS port and a client certificate from the wrong CA are refused, and the node keeps
 * serving; our C-STORE SCU delivers an SR over TLS to storescp {@code +tls}.
 */
class DicomTlsTest {
    private static final String AE = "ROENTGEN";
    private static final String STUDY = "1.2.826.0.1.3680043.10.1137.20.5";

    @TempDir
    static Path pki;

    @TempDir
    Path work;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ca("ca");
        ca("rogue-ca");
        leaf("server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        leaf("client", "ca", "subjectAltName=DNS:client");
        leaf("intruder", "rogue-ca", "subjectAltName=DNS:intruder");
    }

    @Test
    void dcmtkEchoAndStoreOverMutualTlsAndRefusals() throws Exception {
        TlsSettings tls = TlsSettings.pem(pki.resolve("server.pem"), pki.resolve("server.key"), pki.resolve("ca.pem"));
        List<Endpoint> endpoints = List.of(Endpoint.plain(0),
                Endpoint.tls(0, new DicomTls(SslContexts.reloadingServer(tls), tls.mutual())));
        List<String> studies = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (DicomNode node = DicomNode.start(ScpConfig.of(AE, 0, work.resolve("spool")).withMinFreeBytes(0), endpoints, 200,
                (calling, study, instances) -> studies.add(study))) {
            int tlsPort = node.scp().tlsPort();
            int plainPort = node.scp().port();
            assertNotEquals(plainPort, tlsPort);

            Run echo = dcmtk(List.of("echoscu", "-aec", AE), tlsClient("client"), tlsPort, List.of());
            assertEquals(0, echo.rc(), echo.log());

            Path file = work.resolve("ct.dcm");
            Files.write(file, SyntheticDicom.instance(STUDY, 0));
            Run store = dcmtk(List.of("storescu", "-aec", AE), tlsClient("client"), tlsPort, List.of(file.toString()));
            assertEquals(0, store.rc(), store.log());
            Await.until(() -> studies.contains(STUDY), "the study stored over TLS is handed on");
            assertEquals(1, node.scp().metrics().instancesReceived());

            // A plain DIMSE client on the TLS port: its A-ASSOCIATE-RQ is no TLS record, the handshake fails.
            Run plain = dcmtk(List.of("echoscu", "-to", "5", "-aec", AE), List.of(), tlsPort, List.of());
            assertNotEquals(0, plain.rc(), plain.log());

            // Mutual TLS: a client certificate from another CA, and none at all (anonymous TLS), are refused.
            Run intruder = dcmtk(List.of("echoscu", "-aec", AE), tlsClient("intruder"), tlsPort, List.of());
            assertNotEquals(0, intruder.rc(), intruder.log());
            Run anonymous = dcmtk(List.of("echoscu", "-aec", AE), List.of("+tla", "+cf", pki.resolve("ca.pem").toString()),
                    tlsPort, List.of());
            assertNotEquals(0, anonymous.rc(), anonymous.log());

            // The node kept serving both ports.
            Run again = dcmtk(List.of("echoscu", "-aec", AE), tlsClient("client"), tlsPort, List.of());
            assertEquals(0, again.rc(), again.log());
            Run plainPortEcho = dcmtk(List.of("echoscu", "-aec", AE), List.of(), plainPort, List.of());
            assertEquals(0, plainPortEcho.rc(), plainPortEcho.log());
            assertEquals(1, node.scp().metrics().instancesReceived());
            Await.until(() -> node.scp().activeConnections() == 0, "no connection left behind");
        }
    }

    /** Server-only TLS; a new certificate (from another CA) is served to the next association without a restart. */
    @Test
    void aReplacedCertificateServesTheNextAssociation() throws Exception {
        Path cert = Files.copy(pki.resolve("server.pem"), work.resolve("live.pem"));
        Path key = Files.copy(pki.resolve("server.key"), work.resolve("live.key"));
        TlsSettings tls = TlsSettings.pem(cert, key, null);
        try (DicomNode node = DicomNode.start(ScpConfig.of(AE, 0, work.resolve("spool")).withMinFreeBytes(0),
                List.of(Endpoint.tls(0, new DicomTls(SslContexts.reloadingServer(tls), false))), 200, (c, s, i) -> { })) {
            int port = node.scp().tlsPort();
            Run first = dcmtk(List.of("echoscu", "-aec", AE), tlsClient("client"), port, List.of());
            assertEquals(0, first.rc(), first.log());

            leaf("reloaded", "rogue-ca", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:reloaded.example");
            Files.copy(pki.resolve("reloaded.key"), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(pki.resolve("reloaded.pem"), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.attribute.FileTime later = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000);
            Files.setLastModifiedTime(cert, later);
            Files.setLastModifiedTime(key, later);

            Run oldCa = dcmtk(List.of("echoscu", "-aec", AE), tlsClient("client"), port, List.of());
            assertNotEquals(0, oldCa.rc(), "the old CA no longer verifies the node: " + oldCa.log());
            Run newCa = dcmtk(List.of("echoscu", "-aec", AE), List.of("+tls", pki.resolve("client.key").toString(),
                    pki.resolve("client.pem").toString(), "+cf", pki.resolve("rogue-ca.pem").toString()), port, List.of());
            assertEquals(0, newCa.rc(), newCa.log());
        }
    }

    @Test
    void cStoreSenderDeliversOverTlsToStorescp() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path received = Files.createDirectories(work.resolve("pacs"));
        // storescp requires and verifies our client certificate (-rc is its default).
        Process storescp = new ProcessBuilder("storescp", "-aet", "STORESCP", "-od", received.toString(),
                "+tls", pki.resolve("server.key").toString(), pki.resolve("server.pem").toString(),
                "+cf", pki.resolve("ca.pem").toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(work.resolve("storescp.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            DicomObject sr = sr();
            byte[] part10 = DicomWriter.explicitLittleEndian().toByteArray(sr);
            String uid = sr.getString(Tag.SOPInstanceUID);
            ResultDestination pacs = ResultDestination.parse("dicoms://STORESCP@127.0.0.1:" + port);
            SSLContext withCertificate = SslContexts.client(pki.resolve("ca.pem"),
                    TlsSettings.pem(pki.resolve("client.pem"), pki.resolve("client.key"), null));
            CStoreSender sender = new CStoreSender(AE, Duration.ofSeconds(10), new DicomTls(() -> withCertificate, false));
            Await.until(() -> listening(port), "storescp listens");
            sender.send(part10, uid, pacs);

            // Without a client certificate storescp refuses us; without TLS settings dicoms:// is refused for good.
            SSLContext anonymous = SslContexts.client(pki.resolve("ca.pem"), null);
            SendException refused = assertThrows(SendException.class,
                    () -> new CStoreSender(AE, Duration.ofSeconds(10), new DicomTls(() -> anonymous, false)).send(part10, uid, pacs));
            assertTrue(refused.retryable(), refused.getMessage());
            SendException noTls = assertThrows(SendException.class,
                    () -> new CStoreSender(AE, Duration.ofSeconds(10)).send(part10, uid, pacs));
            assertTrue(!noTls.retryable(), noTls.getMessage());

            try (Stream<Path> files = Files.list(received)) {
                List<Path> all = files.toList();
                assertEquals(1, all.size(), all + "\n" + Files.readString(work.resolve("storescp.log")));
                assertEquals(uid, DicomReader.defaults().read(all.get(0)).getString(Tag.SOPInstanceUID));
            }
        } finally {
            storescp.destroy();
            storescp.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> tlsClient(String name) {
        return List.of("+tls", pki.resolve(name + ".key").toString(), pki.resolve(name + ".pem").toString(),
                "+cf", pki.resolve("ca.pem").toString());
    }

    private record Run(int rc, String log) {}

    private Run dcmtk(List<String> command, List<String> tlsOptions, int port, List<String> files) throws Exception {
        List<String> args = new ArrayList<>(command);
        args.addAll(tlsOptions);
        args.add("127.0.0.1");
        args.add(Integer.toString(port));
        args.addAll(files);
        Path log = Files.createTempFile(work, "dcmtk", ".log");
        Process p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "dcmtk finished: " + args);
        return new Run(p.exitValue(), args + "\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    private static void ca(String name) throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
        openssl("req", "-x509", "-new", "-key", name + ".key", "-subj", "/CN=" + name, "-days", "2", "-out", name + ".pem");
    }

    private static void leaf(String name, String ca, String san) throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
        openssl("req", "-new", "-key", name + ".key", "-subj", "/CN=" + name, "-out", name + ".csr");
        Files.writeString(pki.resolve(name + ".ext"), san + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(pki.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, command + "\n" + out);
    }

    private static DicomObject sr() throws Exception {
        SourceImage source = SourceImage.of(DicomReader.defaults().read(SyntheticDicom.instance(STUDY, 1)));
        StudyReport report = new StudyReport(new AlgorithmId("chest", "1", "ab".repeat(32)), LabelCodes.local(),
                List.of(new ScoredImage(source, List.of(new ClassProbability("normal", 0.25), new ClassProbability("abnormal", 0.75)))));
        return new MeasurementReportWriter(ReportOptions.defaults()).write(report);
    }
}
