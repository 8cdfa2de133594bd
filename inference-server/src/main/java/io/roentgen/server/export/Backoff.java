package io.roentgen.server.export;

import java.time.Duration;

/**
 * When the outbox tries again: {@code initial * 2^(attempts-1)}, capped at {@code max}; after
 * {@code maxAttempts} failed tries an object is given up on (moved to {@code failed/}).
 */
public record Backoff(Duration initial, Duration max, int maxAttempts) {
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max and at least one attempt");
        }
    }

    /** 5 s doubling to 10 min, 200 tries: about 33 hours, so a PACS down for a day still gets everything. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10), 200);
    }

    /** The wait after the given number of failed attempts (1 = after the first failure). */
    public Duration delayAfter(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 40);
        long millis = initial.toMillis();
        for (int i = 0; i < doublings && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
