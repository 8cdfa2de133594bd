package io.roentgen.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench serve} loads servers that are not Roentgen: a plain HTTP/1.1 server that answers
 * 400 to any request asking for an h2c upgrade, as uvicorn does.
 */
class BenchServeHttpVersionTest {
    @TempDir
    Path temp;

    private HttpServer server;
    private ExecutorService threads;
    private final AtomicInteger classified = new AtomicInteger();
    private final AtomicInteger upgradesRefused = new AtomicInteger();

    @BeforeEach
    void startPlainHttp11Server() throws IOException {
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
        exchange.getRequestBody().readAllBytes();
        boolean upgrade = exchange.getRequestHeaders().containsKey("Upgrade");
        byte[] body = (upgrade ? "{\"detail\":\"Unsupported upgrade request.\"}" : "{\"label\":\"a\"}")
                .getBytes(StandardCharsets.UTF_8);
        (upgrade ? upgradesRefused : classified).incrementAndGet();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(upgrade ? 400 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private CliRunner.Result benchServe(String... extra) throws IOException {
        Path dicom = temp.resolve("one.dcm");
        SyntheticBlobDicom.write(dicom, 0, false, 1);
        String[] base = {"bench", "serve", "--url", "http://127.0.0.1:" + server.getAddress().getPort(), "--model", "m",
            "--dicom", dicom.toString(), "--concurrency", "1,2", "--duration", "300ms", "--warmup", "0s", "--repetitions",
            "1", "--json"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRunner.run(args);
    }

    @Test
    void plainHttp11ByDefault() throws IOException {
        CliRunner.Result result = benchServe();
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertEquals(0, upgradesRefused.get(), "no request asked for an upgrade");
        assertTrue(classified.get() > 0);
        JsonObject report = JsonParser.parseString(result.out()).getAsJsonObject();
        assertEquals("HTTP/1.1", report.getAsJsonObject("settings").get("http").getAsString(), result.out());
        JsonObject oneClient = report.getAsJsonArray("rows").get(0).getAsJsonObject();
        assertTrue(oneClient.get("requests").getAsInt() > 0, result.out());
        assertEquals(0, oneClient.getAsJsonObject("errors").size(), result.out());
    }

    @Test
    void http2AsksForTheUpgradeThatSuchServersRefuse() throws IOException {
        CliRunner.Result result = benchServe("--http2");
        assertTrue(upgradesRefused.get() > 0, "--http2 asks for h2c");
        assertTrue(result.exitCode() != 0, "refused requests are errors");
        JsonObject row = JsonParser.parseString(result.out()).getAsJsonObject().getAsJsonArray("rows").get(0).getAsJsonObject();
        assertTrue(row.getAsJsonObject("errors").has("400"), result.out());
    }
}
