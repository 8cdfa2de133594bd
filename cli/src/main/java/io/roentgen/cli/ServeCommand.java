package io.roentgen.cli;

import io.roentgen.engine.RoentgenException;
import io.roentgen.models.explain.ExplanationDicom;
import io.roentgen.server.InferenceServer;
import io.roentgen.server.ServerAssembly;
import io.roentgen.server.ServerConfig;
import io.roentgen.server.export.ResultExporter;
import io.roentgen.server.repository.ModelFormats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code roentgen serve}: the inference server over a model repository, until SIGTERM or
 * Ctrl-C, which stop it gracefully (everything already taken is answered) with exit code 0. The
 * flags fill a {@link ServerAssembly}.
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
    ResultOptions results;

    @Mixin
    DicomNodeOptions dicomNode;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON file with flag values.")
    Path config;

    @Mixin
    ServeOptions server;

    @Mixin
    BatchingOptions batching;

    @Mixin
    LimitsOptions limits;

    @Mixin
    SecurityOptions security;

    @Override
    public Integer call() throws Exception {
        ServeCommand effective = config == null ? this : ConfigFile.merged(config, spec, new ServeCommand());
        ServerConfig serverConfig = effective.toServerConfig();
        if (ServerAssembly.openToTheNetwork(serverConfig)) {
            System.err.println("warning: serving on " + serverConfig.host() + " without --auth-token-file: "
                    + "anyone who reaches this address can use the models (admin routes answer loopback clients only)");
        }
        ExplanationDicom explanations = effective.results.explanationKind(); // checked before the outbox starts
        ResultExporter srExporter = effective.results.srExporter(effective.dicomNode.aeTitle, serverConfig.security().tls());
        InferenceServer running = new InferenceServer(serverConfig, formats.withSetup(precision::apply)).emitSr(srExporter)
                .emitExplanations(explanations).start();
        System.out.printf("Roentgen serving %d model(s) on %s://%s:%d (Ctrl-C or SIGTERM stops it gracefully)%n",
                running.repository().served().size(), running.scheme(), serverConfig.host(), running.port());
        System.out.flush();
        AutoCloseable dicom = effective.dicomNode.start(running); // a no-op without --dicom-port
        StopSignals.install(running::stop);
        running.awaitStop();
        dicom.close();
        ResultOptions.close(srExporter);
        return 0;
    }

    ServerConfig toServerConfig() throws RoentgenException {
        ServerAssembly assembly = server.assembly();
        batching.applyTo(assembly);
        limits.applyTo(assembly);
        security.applyTo(assembly);
        return assembly.config();
    }
}
