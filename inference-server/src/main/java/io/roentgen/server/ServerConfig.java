package io.roentgen.server;

import ai.djl.Device;
import io.roentgen.server.admission.ServerLimits;
import io.roentgen.server.batching.BatchSizes;
import io.roentgen.server.security.SecuritySettings;
import io.roentgen.server.security.TokenTable;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code roentgen serve} can set; the same names as its flags.
 *
 * @param modelRepository   {@code DIR/<model>/<version>/} bundles
 * @param host              address to bind, loopback unless told otherwise
 * @param port              0 picks a free port
 * @param devices           one replica (and batching worker) per device
 * @param maxBatchSize      the most images in one forward pass; 1 turns batching off
 * @param maxQueueDelayMs   the longest a batch waits for requests it expects (batching.DispatchPolicy)
 * @param queueCapacity     requests waiting per model before 503
 * @param timeoutMs         per-request deadline, 504 past it
 * @param security          tokens and roles, TLS, the audit log (security.SecuritySettings)
 * @param maxBodyBytes      413 above this
 * @param stowModel         the model that classifies STOW-RS instances, or null for the first one
 * @param resultsCapacity   classification results kept in memory for {@code GET /v1/results}
 * @param resultsFile       JSONL file each STOW-RS result is appended to, or null
 * @param warmup            run every batch size a forward pass can have once at load (DJL/PyTorch optimise per shape)
 * @param preferredBatchSizes ascending sizes a batch is padded up to (with the max batch size); empty: no padding
 * @param keepWarmMs        a batching worker idle this long runs one forward pass on a blank image, and again
 *                          after each further such interval, so sparse requests find it warm; 0: never
 * @param limits            memory, connection and body-rate limits that keep hostile clients in bounds
 */
public record ServerConfig(Path modelRepository, String host, int port, List<Device> devices, int maxBatchSize,
        long maxQueueDelayMs, int queueCapacity, long timeoutMs, SecuritySettings security, long maxBodyBytes,
        String stowModel, int resultsCapacity, Path resultsFile, boolean warmup, List<Integer> preferredBatchSizes,
        long keepWarmMs, ServerLimits limits) {

    public ServerConfig {
        Objects.requireNonNull(modelRepository, "modelRepository");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        devices = List.copyOf(devices);
        require(!devices.isEmpty(), "at least one device");
        require(port >= 0 && port <= 65535, "port in 0..65535, got " + port);
        require(maxBatchSize >= 1, "max batch size >= 1, got " + maxBatchSize);
        require(maxQueueDelayMs >= 0, "max queue delay >= 0, got " + maxQueueDelayMs);
        require(queueCapacity >= 1, "queue capacity >= 1, got " + queueCapacity);
        require(timeoutMs >= 1, "timeout >= 1 ms, got " + timeoutMs);
        require(maxBodyBytes >= 1, "max body size >= 1 byte, got " + maxBodyBytes);
        require(keepWarmMs >= 0, "keep-warm interval >= 0 ms, got " + keepWarmMs);
        require(resultsCapacity >= 0, "results capacity >= 0, got " + resultsCapacity);
        preferredBatchSizes = List.copyOf(preferredBatchSizes);
        Objects.requireNonNull(limits, "limits");
        String sizesProblem = BatchSizes.problem(maxBatchSize, preferredBatchSizes);
        require(sizesProblem == null, sizesProblem);
    }

    /** The batch shapes these settings give. */
    public BatchSizes batchSizes() {
        return BatchSizes.of(maxBatchSize, preferredBatchSizes);
    }

    /** The documented defaults ({@code roentgen serve --help}) on the CPU. */
    public static ServerConfig defaults(Path modelRepository) {
        return new ServerConfig(modelRepository, "127.0.0.1", 8080, List.of(Device.cpu()), 32, 5, 1024, 30_000,
                SecuritySettings.NONE, 512L << 20, null, 100_000, null, true, List.of(), 1000, ServerLimits.defaults());
    }

    public ServerConfig withPort(int value) {
        return new ServerConfig(modelRepository, host, value, devices, maxBatchSize, maxQueueDelayMs, queueCapacity,
                timeoutMs, security, maxBodyBytes, stowModel, resultsCapacity, resultsFile, warmup, preferredBatchSizes, keepWarmMs, limits);
    }

    /** Another max batch size and delay; preferred sizes above the new max are dropped. */
    public ServerConfig withBatching(int batchSize, long queueDelayMs) {
        List<Integer> fitting = preferredBatchSizes.stream().filter(s -> s <= batchSize).toList();
        return new ServerConfig(modelRepository, host, port, devices, batchSize, queueDelayMs, queueCapacity,
                timeoutMs, security, maxBodyBytes, stowModel, resultsCapacity, resultsFile, warmup, fitting, keepWarmMs, limits);
    }

    public ServerConfig withQueue(int capacity, long requestTimeoutMs) {
        return new ServerConfig(modelRepository, host, port, devices, maxBatchSize, maxQueueDelayMs, capacity,
                requestTimeoutMs, security, maxBodyBytes, stowModel, resultsCapacity, resultsFile, warmup, preferredBatchSizes, keepWarmMs, limits);
    }

    /** One bearer token with every role (the older single-token form). */
    public ServerConfig withAuthToken(String token) {
        return withSecurity(security.withTokens(TokenTable.single(token)));
    }

    public ServerConfig withSecurity(SecuritySettings value) {
        return new ServerConfig(modelRepository, host, port, devices, maxBatchSize, maxQueueDelayMs, queueCapacity,
                timeoutMs, value, maxBodyBytes, stowModel, resultsCapacity, resultsFile, warmup, preferredBatchSizes, keepWarmMs, limits);
    }

    public ServerConfig withMaxBodyBytes(long bytes) {
        return new ServerConfig(modelRepository, host, port, devices, maxBatchSize, maxQueueDelayMs, queueCapacity,
                timeoutMs, security, bytes, stowModel, resultsCapacity, resultsFile, warmup, preferredBatchSizes, keepWarmMs, limits);
    }

    public ServerConfig withResults(String model, int capacity, Path file) {
        return new ServerConfig(modelRepository, host, port, devices, maxBatchSize, maxQueueDelayMs, queueCapacity,
                timeoutMs, security, maxBodyBytes, model, capacity, file, warmup, preferredBatchSizes, keepWarmMs, limits);
    }

    public ServerConfig withHostAndDevices(String bindHost, List<Device> replicas) {
        return new ServerConfig(modelRepository, bindHost, port, replicas, maxBatchSize, maxQueueDelayMs, queueCapacity,
                timeoutMs, security, maxBodyBytes, stowModel, resultsCapacity, resultsFile, warmup, preferredBatchSizes, keepWarmMs, limits);
    }

    public ServerConfig withWarmup(boolean value) {
        return new ServerConfig(modelRepository, host, port, devices, maxBatchSize, maxQueueDelayMs, queueCapacity,
                timeoutMs, security, maxBodyBytes, stowModel, resultsCapacity, resultsFile, value, preferredBatchSizes, keepWarmMs, limits);
    }

    public ServerConfig withPreferredBatchSizes(List<Integer> sizes) {
        return new ServerConfig(modelRepository, host, port, devices, maxBatchSize, maxQueueDelayMs, queueCapacity,
                timeoutMs, security, maxBodyBytes, stowModel, resultsCapacity, resultsFile, warmup, sizes, keepWarmMs, limits);
    }

    public ServerConfig withLimits(ServerLimits value) {
        return new ServerConfig(modelRepository, host, port, devices, maxBatchSize, maxQueueDelayMs, queueCapacity,
                timeoutMs, security, maxBodyBytes, stowModel, resultsCapacity, resultsFile, warmup, preferredBatchSizes, keepWarmMs, value);
    }

    public ServerConfig withKeepWarmMs(long value) {
        return new ServerConfig(modelRepository, host, port, devices, maxBatchSize, maxQueueDelayMs, queueCapacity,
                timeoutMs, security, maxBodyBytes, stowModel, resultsCapacity, resultsFile, warmup, preferredBatchSizes, value, limits);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("server config needs " + what);
        }
    }
}
