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
 * @param explainShare            the share of wall time the explanation worker may spend explaining,
 *                                in (0, 1]: after an explanation that took t it rests t (1 - s) / s,
 *                                so a stream of explain requests cannot take classification's cores
 */
public record ServerLimits(long memoryBudgetBytes, int maxConnectionsPerClient, long idleTimeoutMs,
        long minRequestBytesPerSecond, int maxBodyReaders, double explainShare) {

    /** Threads Jetty may use; {@link #maxBodyReaders} must leave some of them to the light routes. */
    public static final int SERVER_THREADS = 256;
    /** Explanations are occasional (a reader opens a case), classification is the service. */
    public static final double DEFAULT_EXPLAIN_SHARE = 0.25;

    public ServerLimits {
        require(memoryBudgetBytes >= 0, "memory budget >= 0, got " + memoryBudgetBytes);
        require(maxConnectionsPerClient >= 1, "max connections per client >= 1, got " + maxConnectionsPerClient);
        require(idleTimeoutMs >= 1, "idle timeout >= 1 ms, got " + idleTimeoutMs);
        require(minRequestBytesPerSecond >= 0, "min request data rate >= 0, got " + minRequestBytesPerSecond);
        require(maxBodyReaders >= 1 && maxBodyReaders <= SERVER_THREADS - 32,
                "max body readers in 1.." + (SERVER_THREADS - 32) + ", got " + maxBodyReaders);
        require(explainShare > 0 && explainShare <= 1, "an explain share in (0, 1], got " + explainShare);
    }

    public ServerLimits(long memoryBudgetBytes, int maxConnectionsPerClient, long idleTimeoutMs,
            long minRequestBytesPerSecond, int maxBodyReaders) {
        this(memoryBudgetBytes, maxConnectionsPerClient, idleTimeoutMs, minRequestBytesPerSecond, maxBodyReaders,
                DEFAULT_EXPLAIN_SHARE);
    }

    public static ServerLimits defaults() {
        return new ServerLimits(0, 128, 30_000, 1024, 192);
    }

    /** The memory budget in bytes, half the heap unless set. */
    public long memoryBudget() {
        return memoryBudgetBytes > 0 ? memoryBudgetBytes : Runtime.getRuntime().maxMemory() / 2;
    }

    public ServerLimits withMemoryBudget(long bytes) {
        return new ServerLimits(bytes, maxConnectionsPerClient, idleTimeoutMs, minRequestBytesPerSecond, maxBodyReaders,
                explainShare);
    }

    public ServerLimits withConnections(int perClient, long idleMs, long minBytesPerSecond) {
        return new ServerLimits(memoryBudgetBytes, perClient, idleMs, minBytesPerSecond, maxBodyReaders, explainShare);
    }

    public ServerLimits withExplainShare(double share) {
        return new ServerLimits(memoryBudgetBytes, maxConnectionsPerClient, idleTimeoutMs, minRequestBytesPerSecond,
                maxBodyReaders, share);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("server limits need " + what);
        }
    }
}
