package io.roentgen.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.engine.DeviceSpec;
import io.roentgen.engine.RoentgenException;
import io.roentgen.server.InferenceServer;
import io.roentgen.server.ServerConfig;
import io.roentgen.server.ServerLimits;
import io.roentgen.server.repository.ModelFormats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code roentgen serve}: the inference server over a model repository, until SIGTERM or
 * Ctrl-C, which stop it gracefully (everything already taken is answered) with exit code 0.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serve the models of a repository (DIR/<model>/<version>/) over HTTP: KServe v2, DICOM classification, "
            + "DICOMweb STOW-RS and Prometheus metrics, with dynamic batching per model and device.",
        footer = {"", "Every flag can also come from --config FILE, a JSON object keyed by flag name without dashes",
            "(e.g. {\"port\": 9000, \"max-batch-size\": 16}); flags on the command line win.", "",
            "Examples:", "  roentgen serve --model-repository models",
            "  roentgen serve --model-repository models --devices gpu --max-batch-size 64 --port 9000",
            "  curl -X POST -H 'Content-Type: application/dicom' --data-binary @scan.dcm localhost:8080/v1/models/chest/classify"})
final class ServeCommand implements Callable<Integer> {
    /** The bundle formats served; tests replace it before running the command. */
    static ModelFormats formats = ModelFormats.standard();

    @Mixin
    CommonOptions common;

    @Mixin
    PrecisionOption precision;

    @Mixin
    DicomNodeOptions dicomNode;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON file with flag values.")
    Path config;

    @Option(names = "--model-repository", paramLabel = "DIR", description = "Folder of DIR/<model>/<version>/ bundles.")
    Path modelRepository;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--devices", defaultValue = "auto", description = "auto, cpu, gpu, gpu:1, gpu:0,1: one replica per device (default: ${DEFAULT-VALUE}).")
    String devices;

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

    @Option(names = "--auth-token-file", paramLabel = "FILE", description = "File holding the bearer token every request but health must carry.")
    Path authTokenFile;

    @Option(names = "--max-body-mb", defaultValue = "512", description = "Largest request body, 413 above (default: ${DEFAULT-VALUE}).")
    long maxBodyMb;

    @Option(names = "--stow-model", description = "Model that classifies STOW-RS pushes (default: the first by name).")
    String stowModel;

    @Option(names = "--results-capacity", defaultValue = "100000", description = "STOW-RS results kept for GET /v1/results (default: ${DEFAULT-VALUE}).")
    int resultsCapacity;

    @Option(names = "--results-file", paramLabel = "FILE", description = "Append every STOW-RS result to this JSONL file.")
    Path resultsFile;

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

    @Override
    public Integer call() throws Exception {
        ServeCommand effective = config == null ? this : withConfigFile();
        ServerConfig serverConfig = effective.toServerConfig();
        if (serverConfig.authToken() == null && !isLoopback(serverConfig.host())) {
            System.err.println("warning: serving on " + serverConfig.host() + " without --auth-token-file: "
                    + "anyone who reaches this address can use and reload the models");
        }
        InferenceServer server = new InferenceServer(serverConfig, formats.withSetup(precision::apply)).start();
        System.out.printf("Roentgen serving %d model(s) on http://%s:%d (Ctrl-C or SIGTERM stops it gracefully)%n",
                server.repository().served().size(), effective.host, server.port());
        System.out.flush();
        AutoCloseable dicom = effective.dicomNode.start(server); // a no-op without --dicom-port
        StopSignals.install(server::stop);
        server.awaitStop();
        dicom.close();
        return 0;
    }

    ServerConfig toServerConfig() throws RoentgenException {
        if (modelRepository == null) {
            throw RoentgenException.usage("--model-repository is required");
        }
        if (!Files.isDirectory(modelRepository)) {
            throw RoentgenException.usage("model repository " + modelRepository + " is not a folder");
        }
        try {
            return new ServerConfig(modelRepository, host, port, devices(), maxBatchSize, maxQueueDelayMs, queueCapacity,
                    timeoutMs, token(), maxBodyMb << 20, stowModel, resultsCapacity, resultsFile, !noWarmup, preferredBatchSizes,
                    keepWarmMs, new ServerLimits(memoryBudgetMb << 20, maxConnectionsPerClient, idleTimeoutMs,
                            minRequestBytesPerSecond, ServerLimits.defaults().maxBodyReaders()));
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage(e.getMessage());
        }
    }

    /** True for a loopback address or name; anything else may be reachable from the network. */
    static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private List<Device> devices() throws RoentgenException {
        return DeviceSpec.parse(devices).resolve(Engine.getInstance().getGpuCount());
    }

    private String token() throws RoentgenException {
        if (authTokenFile == null) {
            return null;
        }
        try {
            String token = Files.readString(authTokenFile, StandardCharsets.UTF_8).trim();
            if (token.isEmpty()) {
                throw RoentgenException.usage("auth token file " + authTokenFile + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw RoentgenException.usage("cannot read auth token file " + authTokenFile + ": " + e.getMessage());
        }
    }

    /** Re-parses with the file's values first, so that flags on the command line override them. */
    private ServeCommand withConfigFile() throws RoentgenException {
        List<String> args = new ArrayList<>(configArguments(config, spec));
        for (CommandLine.Model.OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (option.arity().max() == 0) {
                args.add(option.longestName());
            } else {
                for (String value : option.originalStringValues()) {
                    args.add(option.longestName());
                    args.add(value);
                }
            }
        }
        ServeCommand merged = new ServeCommand();
        CommandLine cli = new CommandLine(merged);
        cli.setOverwrittenOptionsAllowed(true);
        try {
            cli.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw RoentgenException.usage("config file " + config + ": " + e.getMessage());
        }
        return merged;
    }

    static List<String> configArguments(Path file, CommandLine.Model.CommandSpec spec) throws RoentgenException {
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw RoentgenException.usage("cannot read config file " + file + " as a JSON object: " + e.getMessage());
        }
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            String flag = "--" + entry.getKey();
            CommandLine.Model.OptionSpec option = spec.findOption(flag);
            if (option == null || flag.equals("--config") || !entry.getValue().isJsonPrimitive()) {
                throw RoentgenException.usage("config file " + file + ": unknown or non-scalar key '" + entry.getKey() + "'");
            }
            if (option.arity().max() == 0) {
                if (entry.getValue().getAsBoolean()) {
                    args.add(flag);
                }
            } else {
                args.add(flag);
                args.add(entry.getValue().getAsString());
            }
        }
        return args;
    }

    /**
     * SIGTERM and SIGINT stop the server gracefully and let the command return 0 (a shutdown hook
     * alone would exit with 143); the hook stays as the fallback for any other exit.
     */
    static final class StopSignals {
        private StopSignals() {}

        static void install(Runnable stop) {
            for (String name : new String[] {"TERM", "INT"}) {
                Signal.handle(new Signal(name), signal -> new Thread(stop, "graceful-stop").start());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "stop-on-exit"));
        }
    }
}
