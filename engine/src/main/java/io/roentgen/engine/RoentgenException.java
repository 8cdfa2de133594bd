package io.roentgen.engine;

/**
 * A mistake the user can fix (a bad flag value, a missing file, a GPU that does not exist). The
 * CLI prints its message as one line and exits 2 (usage) or 1 (runtime); the server answers 4xx.
 */
public class RoentgenException extends Exception {
    private final boolean usageError;

    public RoentgenException(String message) {
        this(message, false, null);
    }

    public RoentgenException(String message, boolean usageError, Throwable cause) {
        super(message, cause);
        this.usageError = usageError;
    }

    /** A usage error: the command line itself is wrong (exit code 2). */
    public static RoentgenException usage(String message) {
        return new RoentgenException(message, true, null);
    }

    public boolean isUsageError() {
        return usageError;
    }
}
