package io.roentgen.server;

/**
 * A request the server answers with an error status and {@code {"error": message}}: the one
 * typed error every layer throws so that the HTTP contract is decided where the cause is known.
 */
public final class ApiException extends Exception {
    private final int status;
    private final int retryAfterSeconds;

    public ApiException(int status, String message) {
        this(status, message, 0, null);
    }

    public ApiException(int status, String message, int retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException tooLarge(long limitBytes) {
        return new ApiException(413, "request body is larger than the limit of " + limitBytes + " bytes");
    }

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, message);
    }

    public static ApiException unprocessable(String message) {
        return new ApiException(422, message);
    }

    public static ApiException queueFull(String model) {
        return new ApiException(503, "the queue of model '" + model + "' is full; retry shortly", 1, null);
    }

    public static ApiException deadlineExceeded(String model) {
        return new ApiException(504, "model '" + model + "' did not answer within the request timeout");
    }

    public int status() {
        return status;
    }

    /** Seconds for a Retry-After header, or 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
