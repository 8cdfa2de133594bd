package io.roentgen.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** A {@code multipart/related} body of parts of one media type (PS3.18's DICOM parts), boundary chosen here. */
public record MultipartRelatedWriter(String boundary, String partType) {

    /** A writer with a random boundary, which no DICOM part can contain by chance. */
    public static MultipartRelatedWriter of(String partType) {
        return new MultipartRelatedWriter("roentgen-" + UUID.randomUUID(), partType);
    }

    /** The response's Content-Type. */
    public String contentType() {
        return "multipart/related; type=\"" + partType + "\"; boundary=" + boundary;
    }

    /** The body: each part with its Content-Type, then the closing delimiter. */
    public byte[] body(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(("--" + boundary + "\r\nContent-Type: " + partType + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(part);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
