package io.roentgen.server.http;

/** A multipart body that does not follow RFC 2046 (or breaks a limit on parts or headers). */
public final class MalformedMultipartException extends Exception {
    public MalformedMultipartException(String message) {
        super(message);
    }
}
