package io.roentgen.cli;

import io.roentgen.engine.RoentgenException;
import io.roentgen.server.ServerAssembly;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code roentgen serve}'s repository, address, device and STOW-RS flags ({@code @Mixin}). */
final class ServeOptions {
    @Option(names = "--model-repository", paramLabel = "DIR", description = "Folder of DIR/<model>/<version>/ bundles.")
    Path modelRepository;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--devices", defaultValue = "auto", description = "auto, cpu, gpu, gpu:1, gpu:0,1: one replica per device (default: ${DEFAULT-VALUE}).")
    String devices;

    @Option(names = "--auth-token-file", paramLabel = "FILE", description = "File holding the bearer token every request but health must carry.")
    Path authTokenFile;

    @Option(names = "--stow-model", description = "Model that classifies STOW-RS pushes (default: the first by name).")
    String stowModel;

    @Option(names = "--results-capacity", defaultValue = "100000", description = "STOW-RS results kept for GET /v1/results (default: ${DEFAULT-VALUE}).")
    int resultsCapacity;

    @Option(names = "--results-file", paramLabel = "FILE", description = "Append every STOW-RS result to this JSONL file.")
    Path resultsFile;

    /** The assembly these flags start. */
    ServerAssembly assembly() throws RoentgenException {
        if (modelRepository == null) {
            throw RoentgenException.usage("--model-repository is required");
        }
        return ServerAssembly.of(modelRepository).bind(host, port).devices(devices).authTokenFile(authTokenFile)
                .results(stowModel, resultsCapacity, resultsFile);
    }
}
