package io.roentgen.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/** {@code roentgen serve} from the packaged jar in its own JVM, on a free loopback port. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("Roentgen serving \\d+ model\\(s\\) on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    final ChildProcess process;
    final int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServerProcess(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code serve --port 0 --devices cpu --no-warmup args} and waits until it listens. */
    static ServerProcess start(Path logs, List<String> jvmFlags, String... args) throws Exception {
        List<String> serve = new ArrayList<>(List.of("serve", "--port", "0", "--devices", "cpu", "--no-warmup"));
        serve.addAll(List.of(args));
        List<String> flags = new ArrayList<>(List.of("-Droentgen.intraOpThreads=1"));
        flags.addAll(jvmFlags);
        return listening(ChildProcess.startJar(logs, flags, serve.toArray(String[]::new)));
    }

    /** Waits until a started {@code serve} prints that it listens; fails if it exits or takes too long. */
    static ServerProcess listening(ChildProcess process) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = SERVING.matcher(process.out());
            if (m.find()) {
                return new ServerProcess(process, Integer.parseInt(m.group(1)));
            }
            if (!process.isAlive()) {
                fail("serve exited before listening. stdout:\n" + process.out() + "\nstderr:\n" + process.err());
            }
            Thread.sleep(50);
        }
        process.destroy();
        fail("serve did not listen within " + START_TIMEOUT + ". stderr:\n" + process.err());
        throw new AssertionError();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return http.send(postRequest(path, contentType, body), HttpResponse.BodyHandlers.ofString());
    }

    CompletableFuture<HttpResponse<String>> postAsync(String path, String contentType, byte[] body) {
        return http.sendAsync(postRequest(path, contentType, body), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A POST whose body trickles in over about {@code spread} (chunked, in 16 pieces): the request
     * stays inside the server, reading its body, for that long.
     */
    CompletableFuture<HttpResponse<String>> postSlowly(String path, String contentType, byte[] body, Duration spread) {
        long pauseMillis = spread.toMillis() / 16;
        int piece = Math.max(1, (body.length + 15) / 16);
        java.util.function.Supplier<java.io.InputStream> slow = () -> new java.io.InputStream() {
            private int at;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= body.length) {
                    return -1;
                }
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                int n = Math.min(Math.min(len, piece), body.length - at);
                System.arraycopy(body, at, b, off, n);
                at += n;
                return n;
            }
        };
        return http.sendAsync(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(slow)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> classify(String model, Path dicom) throws IOException, InterruptedException {
        return post("/v1/models/" + model + "/classify", "application/dicom", Files.readAllBytes(dicom));
    }

    private HttpRequest postRequest(String path, String contentType, byte[] body) {
        return HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** SIGTERM, then the exit within the deadline. */
    ChildProcess.Result stop() throws IOException, InterruptedException {
        process.sigterm();
        return process.finish(Duration.ofSeconds(90));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
    }
}
