package io.roentgen.cli;

import ai.djl.Device;
import ai.djl.nn.Block;
import io.roentgen.datasets.IdentifierWarning;
import io.roentgen.dicom.sr.Code;
import io.roentgen.engine.DeviceSpec;
import io.roentgen.engine.Devices;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.training.CheckpointIntegrity;
import io.roentgen.training.StopSignal;
import io.roentgen.training.run.TrainingConfig;
import io.roentgen.training.run.TrainingResult;
import io.roentgen.training.TrainingRun;
import io.roentgen.training.data.TrainingData;
import io.roentgen.training.data.TrainingSources;
import io.roentgen.training.export.BundleExporter;
import io.roentgen.training.listen.Charts;
import io.roentgen.training.listen.MetricsJsonlWriter;
import io.roentgen.training.listen.ProgressPrinter;
import io.roentgen.training.listen.RunSummaryWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code roentgen train}: manifest in, model bundle out. Splits by patient when the manifest has
 * no split column ({@link TrainingSources}), trains with validation every epoch, keeps the best
 * epoch by validation AUROC, and exports it as {@code OUT/bundle}. Ctrl-C or SIGTERM stops after
 * the current step and leaves a checkpoint that {@code --resume} continues from.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a CNN on a DICOM manifest and export the best epoch as a model bundle.",
        footer = {"", "Examples:",
            "  roentgen train --data demo/manifest.csv --arch small --image-size 64 --epochs 10 --out runs/demo",
            "  roentgen train --data cxr.csv --arch densenet121 --image-size 224 --devices gpu --out runs/cxr --resume",
            "", "Outputs in OUT: metrics.jsonl, learning-curves.png, roc.png, summary.json, checkpoints/, split.csv, bundle/"})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    TrainDataOptions dataOptions;

    @Mixin
    TrainOptions model;

    @Option(names = "--devices", defaultValue = "auto", description = "auto, cpu, gpu, gpu:N or gpu:N,M (default ${DEFAULT-VALUE}).")
    String devices;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder, e.g. runs/NAME.")
    Path out;

    @Mixin
    ResumeOption resume;

    @Override
    public Integer call() throws RoentgenException {
        List<Device> selected = Devices.select(DeviceSpec.parse(devices), EngineSettings.fromEnvironment());
        System.out.println("Devices: " + selected);
        createRunFolder();
        TrainingSources.Request request = dataOptions.request(out, model);
        TrainingData training = TrainingSources.load(request, System.out::println);
        TrainDataOptions.reportBadFiles(training);
        ArchitectureSpec architecture = new ArchitectureSpec(model.arch, model.channels, training.classNames().size(),
                model.imageSize, dataOptions.multiLabel());
        Architectures.build(architecture); // fail fast on a bad architecture before training
        if (training.train().size() == 0 || training.validation().size() == 0) {
            throw new RoentgenException(dataOptions.data + ": the split has " + training.train().size() + " training and "
                    + training.validation().size() + " validation images; both must be non-empty");
        }
        IdentifierWarning.check(dataOptions.data).ifPresent(System.err::println); // after the usage checks
        System.out.printf(Locale.ROOT, "Data: %d training, %d validation images, classes %s%n", training.train().size(),
                training.validation().size(), training.classNames());
        Map<String, Code> codes = dataOptions.codes(training.classNames());
        TrainingConfig config = model.config(training.classNames(), selected, dataOptions.multiLabel());
        StopSignal stop = new StopSignal();
        Thread hook = stop.installShutdownHook(Duration.ofMinutes(2));
        try (TrainingResult result = TrainingRun.builder().config(config).model(() -> block(architecture))
                .trainData(training.train()).validationData(training.validation()).runDirectory(out).resume(resume.mode())
                .listener(ProgressPrinter.forStandardOutput()).listener(new MetricsJsonlWriter())
                .listener(new Charts()).listener(new RunSummaryWriter()).stopSignal(stop).build().run()) {
            if (result.stopped()) {
                System.out.println("Stopped: resume with the same command and --resume.");
                return 0;
            }
            Path bundle = BundleExporter.writer(out.getFileName().toString(), result, config, architecture,
                    request.preprocessing(), training.sourceHash(), "validation", codes).writeDirectory(out.resolve("bundle"));
            System.out.println("Bundle: " + bundle + " (best epoch " + result.bestEpoch() + ")");
            return 0;
        } catch (CheckpointIntegrity.DamagedCheckpointException e) {
            throw new RoentgenException(e.getMessage() + " (--resume auto continues from the last intact checkpoint)",
                    false, e);
        } catch (IOException e) {
            throw new RoentgenException("training failed: " + describe(e), false, e);
        } catch (IllegalArgumentException e) {
            // the run folder does not fit the command (checkpoints without --resume, another configuration)
            throw new RoentgenException(e.getMessage(), true, e);
        } finally {
            removeHook(hook);
        }
    }

    /** An exception's message, or its type where it has none (an EOFException, say). */
    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for the checkpoint the loop has just written
        }
    }

    private void createRunFolder() throws RoentgenException {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new RoentgenException(out + ": cannot create the run folder: " + e.getMessage());
        }
    }

    private static Block block(ArchitectureSpec spec) {
        try {
            return Architectures.build(spec);
        } catch (RoentgenException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
