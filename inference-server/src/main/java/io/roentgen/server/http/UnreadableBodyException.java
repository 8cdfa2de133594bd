package io.roentgen.server.http;

import java.io.IOException;

/**
 * The request body could not be read to its end: bad chunking, a body shorter than declared, a
 * body arriving slower than the minimum rate. Jetty reports these as its own I/O failures, which
 * Javalin would answer with an empty 500 as if the client had gone away; this type makes them a
 * 400 with a JSON body.
 */
public final class UnreadableBodyException extends IOException {
    private final int status;

    public UnreadableBodyException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** 400, or 408 when the body arrived too slowly. */
    public int status() {
        return status;
    }
}
