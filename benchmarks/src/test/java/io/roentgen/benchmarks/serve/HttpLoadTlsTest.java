package io.roentgen.benchmarks.serve;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench serve --ca-cert}: the load generator trusts a CA it is given for an https://
 * target (a certificate made by the JDK's keytool), and without it every request fails the handshake.
 */
class HttpLoadTlsTest {
    @TempDir
    Path dir;

    @Test
    void trustsTheGivenCaForAnHttpsTarget() throws Exception {
        Path store = dir.resolve("server.p12");
        Path pem = dir.resolve("server.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "1", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(), "-storepass", "changeit",
                "-file", pem.toString());
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(store)));
        server.createContext("/v1/models/m/classify", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "https://127.0.0.1:" + server.getAddress().getPort();
            HttpLoad trusting = new HttpLoad(HttpLoad.classifyUri(base, "m"), null, List.of(new byte[] {1}),
                    HttpClient.Version.HTTP_1_1).trustingCa(pem);
            HttpLoad.Run run = trusting.run(2, Duration.ofMillis(300));
            assertEquals(Map.of(), run.errors());
            assertTrue(run.latenciesMs().length > 0);
            HttpLoad.Run untrusted = new HttpLoad(HttpLoad.classifyUri(base, "m"), null, List.of(new byte[] {1}),
                    HttpClient.Version.HTTP_1_1).run(1, Duration.ofMillis(200));
            assertEquals(0, untrusted.latenciesMs().length);
            assertTrue(untrusted.errors().getOrDefault(0, 0) > 0, "handshake failures are transport errors: " + untrusted.errors());
            // each counted by its cause, the innermost exception named (here the PKIX path failure)
            assertEquals(untrusted.errors().get(0), untrusted.transportErrors().values().stream().mapToInt(Integer::intValue).sum());
            assertTrue(untrusted.transportErrors().keySet().stream().allMatch(c -> c.contains("SSLHandshakeException")
                    && c.contains("<- ")), untrusted.transportErrors().toString());
        } finally {
            server.stop(0);
        }
    }

    private static SSLContext serverContext(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool " + args[0] + ": " + output);
    }
}
