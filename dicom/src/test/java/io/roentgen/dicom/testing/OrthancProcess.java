package io.roentgen.dicom.testing;

import com.google.gson.JsonObject;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Orthanc (Debian's {@code orthanc} + {@code orthanc-dicomweb}, installed by .ci/run) on
 * free loopback ports with a temporary storage folder and one DICOMweb server entry. Missing
 * Orthanc is a failure, never a skip.
 */
public final class OrthancProcess implements AutoCloseable {
    static final List<Path> PLUGIN_CANDIDATES = List.of(Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so"),
            Path.of("/usr/lib/orthanc/libOrthancDicomWeb.so"));

    private final Process process;
    private final Path log;
    private final int httpPort;
    private int dicomPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OrthancProcess(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /** Starts Orthanc with a DICOMweb server "roentgen" at {@code dicomwebUrl}, sending {@code bearerToken}. */
    public static OrthancProcess start(Path workDir, String dicomwebUrl, String bearerToken) throws Exception {
        return start(workDir, dicomwebUrl, bearerToken, freePort());
    }

    /** As above, on a given HTTP port (a test that starts Orthanc late chose it before). */
    public static OrthancProcess start(Path workDir, String dicomwebUrl, String bearerToken, int httpPort) throws Exception {
        return start(workDir, dicomwebUrl, bearerToken, new JsonObject(), httpPort);
    }

    /** Starts Orthanc with no peers configured (a PACS to store into and read back from). */
    public static OrthancProcess start(Path workDir) throws Exception {
        return start(workDir, "http://127.0.0.1:1/dicomweb/", "unused", new JsonObject(), freePort());
    }

    /** Starts Orthanc that also knows a DICOM modality "roentgen" (AE title, loopback, port) to C-STORE to. */
    public static OrthancProcess startWithModality(Path workDir, String aeTitle, int port) throws Exception {
        JsonObject modalities = new JsonObject();
        com.google.gson.JsonArray roentgen = new com.google.gson.JsonArray();
        roentgen.add(aeTitle);
        roentgen.add("127.0.0.1");
        roentgen.add(port);
        modalities.add("roentgen", roentgen);
        return start(workDir, "http://127.0.0.1:1/dicomweb/", "unused", modalities, freePort());
    }

    private static OrthancProcess start(Path workDir, String dicomwebUrl, String bearerToken, JsonObject modalities,
            int httpPort) throws Exception {
        Path plugin = PLUGIN_CANDIDATES.stream().filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IllegalStateException("Orthanc's DICOMweb plugin is not installed: apt-get install orthanc orthanc-dicomweb (see .ci/run)"));
        Path executable = Path.of("/usr/sbin/Orthanc");
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("Orthanc is not installed: apt-get install orthanc orthanc-dicomweb (see .ci/run)");
        }
        int dicomPort = freePort();
        Path storage = Files.createDirectories(workDir.resolve("orthanc-db"));
        JsonObject server = new JsonObject();
        server.addProperty("Url", dicomwebUrl);
        JsonObject headers = new JsonObject();
        headers.addProperty("Authorization", "Bearer " + bearerToken);
        server.add("HttpHeaders", headers);
        JsonObject servers = new JsonObject();
        servers.add("roentgen", server);
        JsonObject dicomWeb = new JsonObject();
        dicomWeb.addProperty("Enable", true);
        dicomWeb.add("Servers", servers);
        JsonObject config = new JsonObject();
        config.addProperty("Name", "roentgen-test");
        config.addProperty("HttpPort", httpPort);
        config.addProperty("DicomPort", dicomPort);
        config.addProperty("StorageDirectory", storage.toString());
        config.addProperty("IndexDirectory", storage.toString());
        config.addProperty("RemoteAccessAllowed", false);
        config.addProperty("AuthenticationEnabled", false);
        config.addProperty("HttpTimeout", 60);
        // Orthanc drops idle keep-alive connections after 1 s by default; the JDK client may then
        // reuse a dead one. A long timeout keeps the test's requests on live connections.
        config.addProperty("KeepAliveTimeout", 600);
        com.google.gson.JsonArray plugins = new com.google.gson.JsonArray();
        plugins.add(plugin.toString());
        config.add("Plugins", plugins);
        config.add("DicomWeb", dicomWeb);
        config.add("DicomModalities", modalities);
        Path configFile = workDir.resolve("orthanc.json");
        Files.writeString(configFile, config.toString());
        Path log = workDir.resolve("orthanc.log");
        Process process = new ProcessBuilder(executable.toString(), configFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        OrthancProcess orthanc = new OrthancProcess(process, log, httpPort);
        orthanc.dicomPort = dicomPort;
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
                if (get("/plugins").contains("dicom-web")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Orthanc did not come up within 60 s:\n" + Files.readString(log));
    }

    /** Orthanc's DICOM port (AE title ORTHANC). */
    public int dicomPort() {
        return dicomPort;
    }

    public String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = sendWithOneRetry(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    public JsonObject post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> r = sendWithOneRetry(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("POST " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    /**
     * Stores one DICOM instance through Orthanc's REST API and returns its tags as Orthanc reads
     * them ({@code /simplified-tags}); fails unless Orthanc answers "Success".
     */
    public JsonObject storeAndReadTags(byte[] dicom) throws IOException, InterruptedException {
        JsonObject stored = post("/instances", "application/dicom", dicom);
        if (!"Success".equals(stored.get("Status").getAsString())) {
            throw new IOException("Orthanc did not store the instance: " + stored);
        }
        return JsonParser.parseString(get("/instances/" + stored.get("ID").getAsString() + "/simplified-tags"))
                .getAsJsonObject();
    }

    /** Every request here is idempotent; one retry covers a connection the server closed as it was reused. */
    private <T> HttpResponse<T> sendWithOneRetry(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        try {
            return http.send(request, handler);
        } catch (IOException closedUnderUs) {
            return http.send(request, handler);
        }
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** Orthanc's DICOMweb root, where its STOW-RS takes instances ({@code <root>/studies}). */
    public String dicomWebRoot() {
        return "http://127.0.0.1:" + httpPort + "/dicom-web";
    }

    /** GET returning bytes (an instance's file). */
    public byte[] getBytes(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " -> " + r.statusCode());
        }
        return r.body();
    }

    /** POST answering bytes (an anonymized instance); a non-200 answer is an IOException. */
    public byte[] postForBytes(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = sendWithOneRetry(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("POST " + path + " -> " + r.statusCode() + " " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return r.body();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
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
