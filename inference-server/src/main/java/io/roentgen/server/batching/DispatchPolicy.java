package io.roentgen.server.batching;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * When a worker stops waiting for company and runs the batch it holds. A fixed queue delay makes
 * a lone request wait for nothing; this policy waits only for requests it has reason to expect:
 * the clients the last batch answered (in a closed loop they send their next request at once),
 * plus the requests that queued up while that batch ran. So a lone request, or one client at a
 * time, runs at once, and a burst still gathers into one batch.
 *
 * <p>The wait never reaches past {@code maxQueueDelay} after the later of the first request's
 * arrival and the moment the worker was free to run it; when the expected requests do not come,
 * the batch runs with what it holds and the next expectation is that smaller size.
 *
 * <p>Pure logic over {@link System#nanoTime()}-style instants passed in, so tests drive it
 * without clocks. Shared by every replica's worker: answered clients come back to the shared queue.
 */
final class DispatchPolicy {
    private final int maxBatchSize;
    private final long maxQueueDelayNanos;
    // 0 until a batch ran, and again after a worker idled long enough to keep warm: no one to expect.
    private final AtomicInteger lastBatchSize = new AtomicInteger(0);

    DispatchPolicy(int maxBatchSize, long maxQueueDelayNanos) {
        if (maxBatchSize < 1 || maxQueueDelayNanos < 0) {
            throw new IllegalArgumentException("max batch size >= 1 and max queue delay >= 0, got " + maxBatchSize
                    + " and " + maxQueueDelayNanos + " ns");
        }
        this.maxBatchSize = maxBatchSize;
        this.maxQueueDelayNanos = maxQueueDelayNanos;
    }

    /**
     * How many requests the next batch waits for.
     *
     * @param backlog requests that queued while the last batch ran, before its answers went
     *                out (later ones are likely that batch's clients, already counted)
     */
    int target(int backlog) {
        return (int) Math.max(1, Math.min(maxBatchSize, (long) lastBatchSize.get() + backlog));
    }

    /**
     * Nanoseconds to keep waiting for one more request; 0 or less: run now.
     *
     * @param held         requests the batch holds
     * @param target       {@link #target(int)} for this batch
     * @param firstArrival when the batch's oldest request was submitted
     * @param workerFree   when the worker came back for this batch
     * @param now          the current instant
     */
    long waitNanos(int held, int target, long firstArrival, long workerFree, long now) {
        if (held >= target || held >= maxBatchSize) {
            return 0;
        }
        return Math.max(firstArrival, workerFree) + maxQueueDelayNanos - now;
    }

    /** A worker idled through a keep-warm interval: the last batch's clients are not coming back soon. */
    void idled() {
        lastBatchSize.set(0);
    }

    /** Records a batch of {@code size} requests run: the company the next batch expects. */
    void ran(int size) {
        lastBatchSize.set(Math.max(1, Math.min(size, maxBatchSize)));
    }
}
