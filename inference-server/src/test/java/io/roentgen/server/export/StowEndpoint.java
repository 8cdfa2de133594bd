package io.roentgen.server.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * A loopback HTTP endpoint at {@code /dicomweb/studies} that answers the n-th POST (1-based)
 * with the status and body a script gives, and records each request's content type and body.
 */
final class StowEndpoint implements AutoCloseable {
    record Answer(int status, String body) {}

    record Request(String contentType, byte[] body) {}

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    StowEndpoint(int port, IntFunction<Answer> script) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/dicomweb/studies", exchange -> answer(exchange, script));
        server.start();
    }

    private void answer(HttpExchange exchange, IntFunction<Answer> script) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        requests.add(new Request(exchange.getRequestHeaders().getFirst("Content-Type"), body));
        Answer a = script.apply(requests.size());
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/dicom+json");
        exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            exchange.getResponseBody().write(out);
        }
        exchange.close();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String base() {
        return "http://127.0.0.1:" + port() + "/dicomweb";
    }

    static String stored(String sopInstanceUid) {
        return "{\"00081199\":{\"vr\":\"SQ\",\"Value\":[{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"" + sopInstanceUid + "\"]}}]}}";
    }

    static String failed(String sopInstanceUid, int reason) {
        return "{\"00081198\":{\"vr\":\"SQ\",\"Value\":[{\"00081155\":{\"vr\":\"UI\",\"Value\":[\"" + sopInstanceUid
                + "\"]},\"00081197\":{\"vr\":\"US\",\"Value\":[" + reason + "]}}]}}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
