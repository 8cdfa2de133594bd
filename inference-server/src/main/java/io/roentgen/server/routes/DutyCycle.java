package io.roentgen.server.routes;

/**
 * Keeps a worker busy for at most {@code share} of its wall time: after working {@code t}, it rests
 * {@code t (1 - share) / share}, so work plus rest is {@code t / share}. Work that fails fast rests
 * little; a share of 1 never rests.
 */
record DutyCycle(double share) {
    DutyCycle {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("a duty cycle's share must be in (0, 1], got " + share);
        }
    }

    /** Nanoseconds to rest after {@code busyNanos} of work. */
    long restAfter(long busyNanos) {
        if (share >= 1 || busyNanos <= 0) {
            return 0;
        }
        return (long) (busyNanos * ((1 - share) / share));
    }
}
