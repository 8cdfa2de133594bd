package io.roentgen.server.routes;

import io.javalin.http.Context;
import io.roentgen.server.admission.MemoryBudget;
import io.roentgen.server.admission.RequestMemory;
import io.roentgen.server.http.ApiException;
import io.roentgen.server.http.LimitedInputStream;
import io.roentgen.server.http.MediaType;

import java.io.IOException;
import java.io.InputStream;

/** Request bodies read as streams, bounded by the configured limit whether chunked or not. */
final class RequestBodies {
    private RequestBodies() {}

    /**
     * The body as a stream that fails past {@code maxBytes}: 413 at once when Content-Length says
     * so, 503 at once when the memory budget has no room for the declared length. Twice the body
     * is reserved, since reading it whole briefly holds a growing copy next to the last one.
     */
    static InputStream open(Context ctx, long maxBytes) throws ApiException, IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw ApiException.tooLarge(maxBytes);
        }
        MemoryBudget.Reservation memory = RequestMemory.of(ctx);
        long reserved = Math.max(0, declared);
        memory.grow(2 * reserved);
        return new LimitedInputStream(ctx.req().getInputStream(), maxBytes, memory, reserved, 2);
    }

    /**
     * The body for a consumer that parses it as it arrives and keeps none of its bytes (the
     * consumer takes what it builds from the budget itself).
     */
    static InputStream stream(Context ctx, long maxBytes) throws ApiException, IOException {
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw ApiException.tooLarge(maxBytes);
        }
        return new LimitedInputStream(ctx.req().getInputStream(), maxBytes);
    }

    /** The whole body; 400 when it is empty. */
    static byte[] readAll(Context ctx, long maxBytes) throws ApiException, IOException {
        byte[] body;
        try (InputStream in = open(ctx, maxBytes)) {
            body = in.readAllBytes();
        }
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty");
        }
        return body;
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
