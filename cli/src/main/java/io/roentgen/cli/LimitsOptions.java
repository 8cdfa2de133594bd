package io.roentgen.cli;

import io.roentgen.server.ServerAssembly;
import picocli.CommandLine.Option;

/** {@code roentgen serve}'s body, memory and connection limits ({@code @Mixin}). */
final class LimitsOptions {
    @Option(names = "--max-body-mb", defaultValue = "512", description = "Largest request body, 413 above (default: ${DEFAULT-VALUE}).")
    long maxBodyMb;

    @Option(names = "--memory-budget-mb", defaultValue = "0",
            description = "Request memory in flight, all requests together (bodies, inflated data sets, decoded frames); "
                + "503 with Retry-After past it (default: half the heap).")
    long memoryBudgetMb;

    @Option(names = "--max-connections-per-client", defaultValue = "128",
            description = "Open connections from one client address; more are closed (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerClient;

    @Option(names = "--idle-timeout-ms", defaultValue = "30000",
            description = "Close a connection that sends nothing for this long (default: ${DEFAULT-VALUE}).")
    long idleTimeoutMs;

    @Option(names = "--min-request-bytes-per-second", defaultValue = "1024",
            description = "Cut off a request body that arrives slower (408; default: ${DEFAULT-VALUE}; 0: no minimum).")
    long minRequestBytesPerSecond;

    @Option(names = "--explain-share", defaultValue = "0.25",
            description = "Share of wall time the explanation worker may spend explaining, in (0, 1]: it rests "
                + "between explanations, so explain requests cannot take classification's cores (default: ${DEFAULT-VALUE}; "
                + "1: no rest).")
    double explainShare;

    void applyTo(ServerAssembly assembly) {
        assembly.limits(maxBodyMb, new ServerAssembly.ServerLimitsInMb(memoryBudgetMb, maxConnectionsPerClient,
                idleTimeoutMs, minRequestBytesPerSecond, explainShare));
    }
}
