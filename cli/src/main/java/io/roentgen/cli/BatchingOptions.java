package io.roentgen.cli;

import io.roentgen.server.ServerAssembly;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code roentgen serve}'s dynamic batching, queue and warm-up flags ({@code @Mixin}). */
final class BatchingOptions {
    @Option(names = "--max-batch-size", defaultValue = "32", description = "Most images per forward pass; 1 turns batching off (default: ${DEFAULT-VALUE}).")
    int maxBatchSize;

    @Option(names = "--max-queue-delay-ms", defaultValue = "5",
            description = "Longest a batch waits for requests it expects (the clients the last batch answered); "
                + "a lone request never waits (default: ${DEFAULT-VALUE}).")
    long maxQueueDelayMs;

    @Option(names = "--queue-capacity", defaultValue = "1024", description = "Requests waiting per model before 503 (default: ${DEFAULT-VALUE}).")
    int queueCapacity;

    @Option(names = "--timeout-ms", defaultValue = "30000", description = "Request deadline, 504 past it (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--no-warmup", description = "Skip running each batch size a forward pass can have once at load.")
    boolean noWarmup;

    @Option(names = "--keep-warm-ms", defaultValue = "1000",
            description = "A worker idle this long runs one forward pass on a blank image, and again after each such "
                + "interval, so sparse requests find the model warm; 0 turns it off (default: ${DEFAULT-VALUE}).")
    long keepWarmMs;

    @Option(names = "--preferred-batch-sizes", split = ",", paramLabel = "N[,N...]",
            description = "Pad each batch up to the next of these sizes (or the max batch size), so the model only sees "
                + "those shapes and warm-up runs only them, e.g. 1,4,8,16,32 (default: no padding).")
    List<Integer> preferredBatchSizes = new ArrayList<>();

    void applyTo(ServerAssembly assembly) {
        assembly.batching(maxBatchSize, maxQueueDelayMs, preferredBatchSizes).queue(queueCapacity, timeoutMs)
                .warmup(!noWarmup, keepWarmMs);
    }
}
