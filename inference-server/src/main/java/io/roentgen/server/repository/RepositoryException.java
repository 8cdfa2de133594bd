package io.roentgen.server.repository;

/**
 * Why the model repository cannot give a caller the model it asked for, in the repository's own
 * terms; the HTTP routes decide the status of each (404, 503, 400).
 */
public abstract sealed class RepositoryException extends Exception {
    private RepositoryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** No such model in the repository, or no such model or version loaded. */
    public static final class NotFound extends RepositoryException {
        public NotFound(String message) {
            super(message, null);
        }
    }

    /**
     * The model is in the repository but cannot take requests now: loading, unloaded, failed to
     * load, or being replaced by a reload. Transient: a retry after about {@link #retryAfterSeconds()} may succeed.
     */
    public static final class Unavailable extends RepositoryException {
        private final int retryAfterSeconds;

        public Unavailable(String message, int retryAfterSeconds) {
            super(message, null);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** How long a reload or load of this kind usually takes: when a retry is worth it. */
        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** A load or reload could not read the model's bundle; the model serves what it served before, if anything. */
    public static final class LoadFailed extends RepositoryException {
        public LoadFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
