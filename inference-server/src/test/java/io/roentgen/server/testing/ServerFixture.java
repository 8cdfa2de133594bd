package io.roentgen.server.testing;

import io.roentgen.engine.EngineSettings;
import io.roentgen.models.explain.ExplanationDicom;
import io.roentgen.server.InferenceServer;
import io.roentgen.server.ServerConfig;
import io.roentgen.server.export.ResultExporter;
import io.roentgen.server.repository.ModelFormats;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** A started server on a free loopback port, and an HTTP client for it. */
public final class ServerFixture implements AutoCloseable {
    public static final String TOKEN = "test-token";

    public final InferenceServer server;
    public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServerFixture(InferenceServer server) {
        this.server = server;
    }

    public static ServerFixture start(ServerConfig config, ModelFormats formats) throws Exception {
        return start(config, formats, null);
    }

    /** A server whose classify and STOW-RS routes emit SRs through {@code srExporter} (null: none). */
    public static ServerFixture start(ServerConfig config, ModelFormats formats, ResultExporter srExporter) throws Exception {
        return start(config, formats, srExporter, null);
    }

    /** As above, each emitted SR's instances also sending their explanation as {@code explanations} (null: none). */
    public static ServerFixture start(ServerConfig config, ModelFormats formats, ResultExporter srExporter,
            ExplanationDicom explanations) throws Exception {
        EngineSettings.fromEnvironment().apply();
        return new ServerFixture(new InferenceServer(config.withPort(0), formats).emitSr(srExporter)
                .emitExplanations(explanations).start());
    }

    /**
     * Defaults for tests: the given repository, small queue delay, warm-up and keep-warm off (a
     * keep-warm pass would go through a test's gated classifier and count as a request's).
     */
    public static ServerConfig config(Path repository) {
        return ServerConfig.defaults(repository).withWarmup(false).withKeepWarmMs(0).withBatching(32, 5);
    }

    public URI uri(String path) {
        return URI.create(server.scheme() + "://127.0.0.1:" + server.port() + path);
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + TOKEN);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return http.send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.stop();
    }
}
