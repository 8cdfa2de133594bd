package io.roentgen.dicom.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import io.roentgen.dicom.DicomObject;
import io.roentgen.dicom.DicomWriter;

/** STOW-RS (PS3.18 10.5): POST {root}/studies, one application/dicom part per object. */
public final class StowRsSender implements ResultSender {
    private final URI studies;
    private final Duration timeout;
    private final HttpClient http;

    public StowRsSender(URI root, int timeoutMillis) {
        String base = root.toString().endsWith("/") ? root.toString() : root + "/";
        this.studies = URI.create(base + "studies");
        this.timeout = Duration.ofMillis(timeoutMillis);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return studies.toString();
    }

    @Override
    public void send(DicomObject object) throws IOException {
        String boundary = "roentgen-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        DicomWriter.explicitLittleEndian().write(object, body);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest request = HttpRequest.newBuilder(studies).timeout(timeout)
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        // 200 stored; 202 stored with warnings; anything else did not store it.
        if (response.statusCode() != 200 && response.statusCode() != 202) {
            throw new IOException("STOW-RS to " + studies + " answered " + response.statusCode());
        }
    }
}
