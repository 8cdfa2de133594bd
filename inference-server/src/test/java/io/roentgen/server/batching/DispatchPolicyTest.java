package io.roentgen.server.batching;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The waiting rule, driven with made-up instants: no clock, no threads. */
class DispatchPolicyTest {
    static final long DELAY = 5_000_000; // 5 ms

    @Test
    void aLoneRequestRunsAtOnceWhateverTheDelay() {
        DispatchPolicy policy = new DispatchPolicy(32, Long.MAX_VALUE / 4);
        int target = policy.target(0);
        assertEquals(1, target, "nothing ran yet: no company is expected");
        assertEquals(1, policy.target(1), "nor for a request that queued before the worker first looked");
        assertTrue(policy.waitNanos(1, target, 1_000, 1_000, 1_000) <= 0);
        policy.ran(1);
        assertTrue(policy.waitNanos(1, policy.target(0), 9_000, 2_000, 9_000) <= 0, "one client at a time never waits");
    }

    @Test
    void afterABatchItWaitsForTheClientsThatBatchAnsweredButNoLongerThanTheDelay() {
        DispatchPolicy policy = new DispatchPolicy(32, DELAY);
        policy.ran(8);
        int target = policy.target(0);
        assertEquals(8, target);
        long first = 100_000;
        assertEquals(DELAY, policy.waitNanos(1, target, first, 50_000, first), "waits from the first arrival");
        assertEquals(DELAY - 3_000, policy.waitNanos(7, target, first, 50_000, first + 3_000));
        assertTrue(policy.waitNanos(8, target, first, 50_000, first + 3_000) <= 0, "all expected requests are here");
        assertTrue(policy.waitNanos(7, target, first, 50_000, first + DELAY) <= 0, "the delay is spent");
    }

    @Test
    void requestsThatQueuedDuringTheLastBatchAddToTheExpectedCompany() {
        DispatchPolicy policy = new DispatchPolicy(32, DELAY);
        policy.ran(1);
        int target = policy.target(7);
        assertEquals(8, target, "the 1 answered client comes back to join the 7 waiting");
        // The backlog arrived long before the worker was free: the wait runs from the worker's return.
        long free = 1_000_000_000;
        assertEquals(DELAY, policy.waitNanos(7, target, 10, free, free));
        assertEquals(32, policy.target(1000), "never above the max batch size");
    }

    @Test
    void anExpectationThatWasNotMetShrinksToWhatCame() {
        DispatchPolicy policy = new DispatchPolicy(32, DELAY);
        policy.ran(8);
        policy.ran(3); // the delay ran out with 3
        assertEquals(3, policy.target(0));
        policy.ran(1);
        assertEquals(1, policy.target(0));
    }

    @Test
    void afterAnIdleSpellOnlyWhatIsQueuedCounts() {
        DispatchPolicy policy = new DispatchPolicy(32, DELAY);
        policy.ran(8);
        policy.idled();
        assertEquals(1, policy.target(0));
        assertEquals(2, policy.target(2), "two that queued during a keep-warm pass run together at once");
    }

    @Test
    void batchingOffNeverWaits() {
        DispatchPolicy policy = new DispatchPolicy(1, DELAY);
        policy.ran(1);
        assertTrue(policy.waitNanos(1, policy.target(5), 0, 0, 0) <= 0);
    }
}
