package io.roentgen.server.routes;

import io.javalin.http.Context;
import io.roentgen.server.ApiException;
import io.roentgen.server.http.LimitedInputStream;
import io.roentgen.server.http.MediaType;

import java.io.IOException;
import java.io.InputStream;

/** Request bodies read as streams, bounded by the configured limit whether chunked or not. */
final class RequestBodies {
    private RequestBodies() {}

    /** The body as a stream that fails past {@code maxBytes}; 413 at once when Content-Length says so. */
    static InputStream open(Context ctx, long maxBytes) throws ApiException, IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw ApiException.tooLarge(maxBytes);
        }
        return new LimitedInputStream(ctx.req().getInputStream(), maxBytes);
    }

    static byte[] readAll(Context ctx, long maxBytes) throws ApiException, IOException {
        try (InputStream in = open(ctx, maxBytes)) {
            return in.readAllBytes();
        }
    }

    /** The Content-Type; 415 when it is missing or unparsable. */
    static MediaType contentType(Context ctx) throws ApiException {
        MediaType type = MediaType.parse(ctx.header("Content-Type"));
        if (type == null) {
            throw ApiException.unsupportedMediaType("a Content-Type header is required");
        }
        return type;
    }
}
