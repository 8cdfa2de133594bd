package io.roentgen.engine;

/**
 * Keeps side work (explanations beside classification, chart drawing beside training) to a share
 * of wall time: after working {@code t}, rest {@code t (1 - share) / share}, so work plus rest is
 * {@code t / share}. Work that fails fast rests little; a share of 1 never rests.
 */
public record DutyCycle(double share) {
    public DutyCycle {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("a duty cycle's share must be in (0, 1], got " + share);
        }
    }

    /** Nanoseconds to rest after {@code busyNanos} of work. */
    public long restAfter(long busyNanos) {
        if (share >= 1 || busyNanos <= 0) {
            return 0;
        }
        return (long) (busyNanos * ((1 - share) / share));
    }
}
