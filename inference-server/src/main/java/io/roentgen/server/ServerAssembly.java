package io.roentgen.server;

import io.roentgen.server.admission.ServerLimits;
import io.roentgen.server.security.SecuritySettings;
import io.roentgen.server.security.TokenTable;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.roentgen.engine.DeviceSpec;
import io.roentgen.engine.RoentgenException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Assembles a {@link ServerConfig} from operator-level settings, as {@code roentgen serve} takes
 * them: a device spec rather than devices, a token file rather than a token, sizes in MB. Every
 * check that fails is a usage error; the config is built once at the end, so settings that only
 * fit together (a max batch size and the preferred sizes under it) are checked together.
 */
public final class ServerAssembly {
    private final Path modelRepository;
    private String host = "127.0.0.1";
    private int port = 8080;
    private String devices = "auto";
    private Path authTokenFile;
    private SecuritySettings security = SecuritySettings.NONE;
    private int maxBatchSize = 32;
    private long maxQueueDelayMs = 5;
    private List<Integer> preferredBatchSizes = List.of();
    private int queueCapacity = 1024;
    private long timeoutMs = 30_000;
    private boolean warmup = true;
    private long keepWarmMs = 1000;
    private String stowModel;
    private int resultsCapacity = 100_000;
    private Path resultsFile;
    private long maxBodyMb = 512;
    private ServerLimitsInMb limits = new ServerLimitsInMb(0, 128, 30_000, 1024, ServerLimits.DEFAULT_EXPLAIN_SHARE);

    /** The connection and worker limits, with the memory budget in MB (0: half the heap). */
    public record ServerLimitsInMb(long memoryBudgetMb, int maxConnectionsPerClient, long idleTimeoutMs,
            long minRequestBytesPerSecond, double explainShare) {}

    private ServerAssembly(Path modelRepository) {
        this.modelRepository = modelRepository;
    }

    /** Settings at the defaults of {@code roentgen serve --help}. */
    public static ServerAssembly of(Path modelRepository) {
        return new ServerAssembly(modelRepository);
    }

    public ServerAssembly bind(String bindHost, int bindPort) {
        host = bindHost;
        port = bindPort;
        return this;
    }

    /** auto, cpu, gpu, gpu:1, gpu:0,1: one replica per device. */
    public ServerAssembly devices(String spec) {
        devices = spec;
        return this;
    }

    /** A token file (ID SHA256 ROLES lines, or one bare token with every role), or null for none. */
    public ServerAssembly authTokenFile(Path file) {
        authTokenFile = file;
        return this;
    }

    /** TLS and the audit log (the tokens come from {@link #authTokenFile}). */
    public ServerAssembly security(SecuritySettings settings) {
        security = settings;
        return this;
    }

    public ServerAssembly batching(int maxBatch, long queueDelayMs, List<Integer> preferredSizes) {
        maxBatchSize = maxBatch;
        maxQueueDelayMs = queueDelayMs;
        preferredBatchSizes = List.copyOf(preferredSizes);
        return this;
    }

    public ServerAssembly queue(int capacity, long requestTimeoutMs) {
        queueCapacity = capacity;
        timeoutMs = requestTimeoutMs;
        return this;
    }

    public ServerAssembly warmup(boolean atLoad, long keepWarmIntervalMs) {
        warmup = atLoad;
        keepWarmMs = keepWarmIntervalMs;
        return this;
    }

    public ServerAssembly results(String model, int capacity, Path file) {
        stowModel = model;
        resultsCapacity = capacity;
        resultsFile = file;
        return this;
    }

    public ServerAssembly limits(long maxBodySizeMb, ServerLimitsInMb connectionLimits) {
        maxBodyMb = maxBodySizeMb;
        limits = connectionLimits;
        return this;
    }

    /** The config: the repository must be a folder, the token file readable and not blank, the devices present. */
    public ServerConfig config() throws RoentgenException {
        if (!Files.isDirectory(modelRepository)) {
            throw RoentgenException.usage("model repository " + modelRepository + " is not a folder");
        }
        List<Device> replicas = DeviceSpec.parse(devices).resolve(Engine.getInstance().getGpuCount());
        try {
            return new ServerConfig(modelRepository, host, port, replicas, maxBatchSize, maxQueueDelayMs, queueCapacity,
                    timeoutMs, withTokens(), maxBodyMb << 20, stowModel, resultsCapacity, resultsFile, warmup,
                    preferredBatchSizes, keepWarmMs, new ServerLimits(limits.memoryBudgetMb() << 20,
                            limits.maxConnectionsPerClient(), limits.idleTimeoutMs(), limits.minRequestBytesPerSecond(),
                            ServerLimits.defaults().maxBodyReaders(), limits.explainShare()));
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage(e.getMessage());
        }
    }

    /** True when the config serves beyond loopback without a token: anyone who reaches it can use the models. */
    public static boolean openToTheNetwork(ServerConfig config) {
        return config.security().tokens() == null && !isLoopback(config.host());
    }

    /** True for a loopback address or name; anything else may be reachable from the network. */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private SecuritySettings withTokens() throws RoentgenException {
        try {
            return authTokenFile == null ? security : security.withTokens(TokenTable.read(authTokenFile));
        } catch (IOException e) {
            throw RoentgenException.usage("cannot read auth token file " + authTokenFile + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage(e.getMessage());
        }
    }
}
