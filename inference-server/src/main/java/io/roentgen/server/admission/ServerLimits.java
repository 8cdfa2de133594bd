package io.roentgen.server.admission;

/**
 * What one client or one request may take from the server, so that no input within the limits can
 * exhaust its memory or its threads.
 *
 * @param memoryBudgetBytes       request memory in flight, all requests together (bodies, inflated
 *                                data sets, decoded frames, input tensors); 503 past it; 0 for half the heap
 * @param maxConnectionsPerClient open connections from one client address; more are closed at once
 * @param idleTimeoutMs           a connection that sends nothing for this long is closed
 * @param minRequestBytesPerSecond a request body arriving slower than this is cut off with 408
 * @param maxBodyReaders          requests reading a body at once; the rest of the thread pool stays
 *                                free for health, metadata and metrics (503 past it)
 */
public record ServerLimits(long memoryBudgetBytes, int maxConnectionsPerClient, long idleTimeoutMs,
        long minRequestBytesPerSecond, int maxBodyReaders) {

    /** Threads Jetty may use; {@link #maxBodyReaders} must leave some of them to the light routes. */
    public static final int SERVER_THREADS = 256;

    public ServerLimits {
        require(memoryBudgetBytes >= 0, "memory budget >= 0, got " + memoryBudgetBytes);
        require(maxConnectionsPerClient >= 1, "max connections per client >= 1, got " + maxConnectionsPerClient);
        require(idleTimeoutMs >= 1, "idle timeout >= 1 ms, got " + idleTimeoutMs);
        require(minRequestBytesPerSecond >= 0, "min request data rate >= 0, got " + minRequestBytesPerSecond);
        require(maxBodyReaders >= 1 && maxBodyReaders <= SERVER_THREADS - 32,
                "max body readers in 1.." + (SERVER_THREADS - 32) + ", got " + maxBodyReaders);
    }

    public static ServerLimits defaults() {
        return new ServerLimits(0, 128, 30_000, 1024, 192);
    }

    /** The memory budget in bytes, half the heap unless set. */
    public long memoryBudget() {
        return memoryBudgetBytes > 0 ? memoryBudgetBytes : Runtime.getRuntime().maxMemory() / 2;
    }

    public ServerLimits withMemoryBudget(long bytes) {
        return new ServerLimits(bytes, maxConnectionsPerClient, idleTimeoutMs, minRequestBytesPerSecond, maxBodyReaders);
    }

    public ServerLimits withConnections(int perClient, long idleMs, long minBytesPerSecond) {
        return new ServerLimits(memoryBudgetBytes, perClient, idleMs, minBytesPerSecond, maxBodyReaders);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("server limits need " + what);
        }
    }
}
