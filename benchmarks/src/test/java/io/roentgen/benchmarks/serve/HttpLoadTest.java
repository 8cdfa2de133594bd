package io.roentgen.benchmarks.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator against a real HTTP server on loopback that answers every third request
 * 503: each answer is counted once, as a latency or as an error under its status, and the bearer
 * token and body arrive as sent.
 */
class HttpLoadTest {
    private HttpServer server;
    private ExecutorService threads;
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger wrongRequests = new AtomicInteger();
    /** The client side of every connection a request came on. */
    private final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/v1/models/m/classify", this::classify);
        threads = Executors.newFixedThreadPool(4);
        server.setExecutor(threads);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void classify(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        connections.add(exchange.getRemoteAddress());
        boolean expected = "Bearer secret".equals(exchange.getRequestHeaders().getFirst("Authorization"))
                && "application/dicom".equals(exchange.getRequestHeaders().getFirst("Content-Type"))
                && body.length == 3 && (body[0] == 1 || body[0] == 2);
        if (!expected) {
            wrongRequests.incrementAndGet();
        }
        int status = answered.incrementAndGet() % 3 == 0 ? 503 : 200;
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Test
    void countsEveryAnswerAsALatencyOrAnErrorByStatus() throws Exception {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        HttpLoad load = new HttpLoad(HttpLoad.classifyUri(base, "m"), "secret",
                List.of(new byte[] {1, 0, 0}, new byte[] {2, 0, 0}), HttpClient.Version.HTTP_1_1);
        HttpLoad.Run run = load.run(3, Duration.ofMillis(400));
        int errors = run.errors().values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(answered.get(), run.latenciesMs().length + errors);
        assertEquals(Map.of(503, answered.get() / 3), run.errors());
        assertEquals(0, wrongRequests.get());
        assertTrue(run.latenciesMs().length > 0);
    }

    @Test
    void aSweepHasOneRowPerClientCountOverItsRepetitions() throws Exception {
        HttpLoad load = new HttpLoad(HttpLoad.classifyUri("http://127.0.0.1:" + server.getAddress().getPort(), "nope"),
                null, List.of(new byte[] {1, 0, 0}), HttpClient.Version.HTTP_1_1);
        List<LoadRow> rows = load.sweep(List.of(1, 2), Duration.ofMillis(50), Duration.ofMillis(150), 2);
        assertEquals(List.of(1, 2), rows.stream().map(LoadRow::clients).toList());
        for (LoadRow row : rows) {
            assertEquals(0, row.requests(), "no route: nothing answered 200");
            assertNull(row.p50Ms());
            assertTrue(row.errors().get(404) > 0, row.errors().toString());
            assertEquals(2, row.imagesPerSecond().values().length);
        }
    }

    /**
     * The warm-up's keep-alive connections serve the measured runs: a sweep opens no more
     * connections than its largest client count (a client per run piled them up until a server's
     * per-client cap cut new ones off).
     */
    @Test
    void everyRunOfALoadSharesItsConnections() throws Exception {
        HttpLoad load = new HttpLoad(HttpLoad.classifyUri("http://127.0.0.1:" + server.getAddress().getPort(), "m"),
                "secret", List.of(new byte[] {1, 0, 0}), HttpClient.Version.HTTP_1_1);
        load.sweep(List.of(2), Duration.ofMillis(100), Duration.ofMillis(150), 3);
        assertTrue(answered.get() >= 8, "requests: " + answered.get());
        assertTrue(connections.size() <= 2, "connections opened: " + connections);
    }
}
