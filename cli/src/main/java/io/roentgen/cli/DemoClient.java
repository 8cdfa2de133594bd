package io.roentgen.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The demo's HTTP client: classifies DICOM as one instance and as a multipart study, and prints the answers. */
final class DemoClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI classify;
    private final String route;

    DemoClient(String base, String model) {
        route = "/v1/models/" + model + "/classify";
        classify = URI.create(base + route);
    }

    void classifySingle(Path file) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(classify).header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("POST " + route + " (application/dicom, 1 instance): HTTP " + r.statusCode());
        printResults(r.body());
    }

    void classifyMultipart(List<Path> files) throws IOException, InterruptedException {
        String boundary = "roentgen-demo-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Path f : files) {
            body.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(Files.readAllBytes(f));
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(classify)
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("POST " + route + " (multipart/related, " + files.size() + " instances): HTTP " + r.statusCode());
        printResults(r.body());
    }

    private static void printResults(String json) {
        JsonElement parsed = JsonParser.parseString(json);
        if (!parsed.isJsonObject() || !parsed.getAsJsonObject().has("results")) {
            System.out.println("  " + json);
            return;
        }
        JsonArray results = parsed.getAsJsonObject().getAsJsonArray("results");
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            if (r.has("error")) {
                System.out.println("  error: " + r.get("error").getAsString());
                continue;
            }
            StringBuilder scores = new StringBuilder();
            r.getAsJsonObject("scores").entrySet().forEach(s -> scores.append(String.format(Locale.ROOT, " %s %.3f",
                    s.getKey(), s.getValue().getAsDouble())));
            String uid = r.get("sopInstanceUid").getAsString();
            System.out.printf(Locale.ROOT, "  instance ...%s  -> %-7s (%s)  queue %.1f ms, compute %.1f ms, batch %d%n",
                    uid.substring(Math.max(0, uid.length() - 12)), r.get("label").getAsString(), scores.toString().trim(),
                    r.get("queueMs").getAsDouble(), r.get("computeMs").getAsDouble(), r.get("batchSize").getAsInt());
        }
    }
}
