package io.roentgen.cli;

import io.roentgen.engine.FileTrees;
import io.roentgen.engine.RoentgenException;
import io.roentgen.server.InferenceServer;
import io.roentgen.server.ServerConfig;
import io.roentgen.server.repository.ModelFormats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code roentgen demo}: the whole system in one command. Synthesises a small CT collection,
 * trains the {@code small} CNN on it, exports a bundle, serves it on a free loopback port, sends
 * DICOM over HTTP (one instance, then a multipart study), prints the classifications and the test
 * metrics, and stops the server (or leaves it up with --keep-serving).
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Synthesise data, train a small CNN, serve it and classify DICOM over HTTP, in one command.",
        footer = {"", "Examples:", "  roentgen demo", "  roentgen demo --out /tmp/roentgen-demo --keep-serving"})
final class DemoCommand implements Callable<Integer> {
    private static final String MARKER = ".roentgen-demo";

    @Mixin
    CommonOptions common;

    @Option(names = "--out", defaultValue = "roentgen-demo", paramLabel = "DIR",
            description = "Where data, run and bundle go (default ${DEFAULT-VALUE}); replaced if it holds an earlier demo.")
    Path out;

    @Option(names = "--patients", defaultValue = "160", description = "Synthetic patients (default ${DEFAULT-VALUE}).")
    int patients;

    @Option(names = "--epochs", defaultValue = "12", description = "Training epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--keep-serving", description = "Leave the server up and print curl examples (Ctrl-C stops it).")
    boolean keepServing;

    @Override
    public Integer call() throws Exception {
        prepareFolder();
        Path data = out.resolve("data");
        Path run = out.resolve("run");
        step("1/5 Synthesising a CT collection");
        subcommand("synth", "--out", data.toString(), "--patients", Integer.toString(patients), "--size", "64", "--seed", "7");
        step("2/5 Training the small CNN (CPU or GPU, at most a couple of minutes on 2 cores)");
        subcommand("train", "--data", data.resolve("manifest.csv").toString(), "--arch", "small", "--image-size", "64",
                "--epochs", Integer.toString(epochs), "--batch-size", "16", "--warmup-epochs", "0.5",
                "--out", run.toString(), "--seed", "3");
        Path repository = out.resolve("models");
        FileTrees.copy(run.resolve("bundle"), repository.resolve("demo").resolve("1"));
        step("3/5 Serving the bundle");
        ServerConfig config = ServerConfig.defaults(repository).withPort(0);
        InferenceServer server = new InferenceServer(config, ModelFormats.standard()).start();
        try {
            String base = "http://127.0.0.1:" + server.port();
            System.out.println("Server: " + base + " (model 'demo', version 1)");
            List<Path> testFiles = testFiles(run.resolve("split.csv"), 4);
            step("4/5 Classifying DICOM over HTTP");
            DemoClient client = new DemoClient(base, "demo");
            client.classifySingle(testFiles.get(0));
            client.classifyMultipart(testFiles);
            step("5/5 Test-split metrics");
            subcommand("evaluate", "--model", run.resolve("bundle").toString(), "--data", run.resolve("split.csv").toString(),
                    "--split", "test", "--out", out.resolve("evaluation").toString(), "--bootstrap", "200");
            System.out.println();
            System.out.println("Artifacts: data " + data + ", run " + run + " (metrics.jsonl, learning-curves.png, roc.png),");
            System.out.println("           bundle " + run.resolve("bundle") + ", evaluation " + out.resolve("evaluation"));
            if (keepServing) {
                printCurlExamples(base, testFiles.get(0));
                server.awaitStop();
            }
        } finally {
            server.close();
        }
        return 0;
    }

    private void prepareFolder() throws IOException, RoentgenException {
        if (Files.exists(out)) {
            if (!Files.exists(out.resolve(MARKER))) {
                throw RoentgenException.usage(out + " exists and is not an earlier demo: choose another --out");
            }
            FileTrees.delete(out);
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve(MARKER), "made by roentgen demo; the next demo run replaces this folder\n");
    }

    private static void step(String what) {
        System.out.println();
        System.out.println("== " + what);
    }

    /** Runs another roentgen command in-process, with the same output and error handling. */
    private static void subcommand(String... args) throws RoentgenException {
        int code = Main.newCommandLine().execute(args);
        if (code != 0) {
            throw new RoentgenException("demo step '" + args[0] + "' failed (exit code " + code + ")");
        }
    }

    private static List<Path> testFiles(Path splitCsv, int count) throws IOException {
        Path root = splitCsv.getParent();
        return Files.readAllLines(splitCsv).stream().skip(1)
                .filter(line -> line.endsWith(",test"))
                .map(line -> root.resolve(line.substring(0, line.indexOf(','))).normalize())
                .limit(count).toList();
    }

    private static void printCurlExamples(String base, Path file) {
        System.out.println();
        System.out.println("The server stays up (Ctrl-C stops it). Try:");
        System.out.println("  curl " + base + "/v2/models/demo");
        System.out.println("  curl -X POST -H 'Content-Type: application/dicom' --data-binary @" + file + " " + base
                + "/v1/models/demo/classify");
        System.out.println("  curl " + base + "/metrics");
    }
}
