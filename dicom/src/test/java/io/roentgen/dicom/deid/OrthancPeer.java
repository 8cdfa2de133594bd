package io.roentgen.dicom.deid;

import com.google.gson.JsonParser;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Orthanc (Debian's {@code orthanc}, installed by .ci/run) on free loopback ports with a
 * temporary storage folder, no plugins. Missing Orthanc is a failure, never a skip.
 */
final class OrthancPeer implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OrthancPeer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static OrthancPeer start(Path work) throws Exception {
        Path executable = Path.of("/usr/sbin/Orthanc");
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("Orthanc is not installed: apt-get install orthanc (see .ci/run)");
        }
        int port = freePort();
        Path storage = Files.createDirectories(work.resolve("orthanc-db"));
        Path config = work.resolve("orthanc.json");
        Files.writeString(config, "{\"Name\": \"deid-peer\", \"HttpPort\": " + port + ", \"DicomPort\": " + freePort()
                + ", \"StorageDirectory\": \"" + storage + "\", \"IndexDirectory\": \"" + storage + "\","
                + " \"RemoteAccessAllowed\": false, \"AuthenticationEnabled\": false, \"Plugins\": [], \"KeepAliveTimeout\": 600}");
        Path log = work.resolve("orthanc.log");
        Process p = new ProcessBuilder(executable.toString(), config.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        OrthancPeer orthanc = new OrthancPeer(p, log, port);
        orthanc.awaitUp();
        return orthanc;
    }

    private void awaitUp() throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < giveUp) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Orthanc exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (send(HttpRequest.newBuilder(uri("/system")).GET().build()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Orthanc did not come up within 60 s:\n" + Files.readString(log));
    }

    /** Stores the file, asks Orthanc to anonymize the instance (its default: the Basic Profile of its PS3.15 edition), returns the result. */
    byte[] anonymize(Path dicom) throws Exception {
        HttpResponse<byte[]> stored = send(HttpRequest.newBuilder(uri("/instances")).header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofFile(dicom)).build());
        if (stored.statusCode() != 200) {
            throw new IOException("POST /instances -> " + stored.statusCode());
        }
        String id = JsonParser.parseString(new String(stored.body())).getAsJsonObject().get("ID").getAsString();
        HttpResponse<byte[]> anonymized = send(HttpRequest.newBuilder(uri("/instances/" + id + "/anonymize"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        if (anonymized.statusCode() != 200) {
            throw new IOException("anonymize -> " + anonymized.statusCode() + " " + new String(anonymized.body()));
        }
        return anonymized.body();
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
