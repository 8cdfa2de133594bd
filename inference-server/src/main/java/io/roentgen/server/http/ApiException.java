package io.roentgen.server.http;

/**
 * A request the server answers with an error status and {@code {"error": message}}. Thrown only
 * at the HTTP edge (routes, request bodies, the server's admission): the layers below report
 * failures in their own terms, which {@code routes.FailureStatus} maps to a status.
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

    public int status() {
        return status;
    }

    /** Seconds for a Retry-After header, or 0 for none. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
