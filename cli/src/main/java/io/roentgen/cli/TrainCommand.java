package io.roentgen.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.training.dataset.RandomAccessDataset;
import io.roentgen.datasets.BadFilePolicy;
import io.roentgen.datasets.DicomCollection;
import io.roentgen.datasets.DicomDataset;
import io.roentgen.datasets.ImageFolders;
import io.roentgen.datasets.cache.TensorCache;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.dicom.image.PixelPipeline;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.datasets.split.PatientSplitter;
import io.roentgen.datasets.split.SplitAssignment;
import io.roentgen.datasets.split.SplitCsvWriter;
import io.roentgen.datasets.split.SplitFractions;
import io.roentgen.datasets.split.Subset;
import io.roentgen.dicom.image.Augmentation;
import io.roentgen.dicom.image.Normalization;
import io.roentgen.dicom.image.TransformSpec;
import io.roentgen.engine.DeviceSpec;
import io.roentgen.engine.Devices;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.training.StopSignal;
import io.roentgen.training.TrainingConfig;
import io.roentgen.training.TrainingResult;
import io.roentgen.training.CheckpointIntegrity;
import io.roentgen.training.ResumeMode;
import io.roentgen.training.TrainingRun;
import io.roentgen.training.export.BundleExporter;
import io.roentgen.training.listen.Charts;
import io.roentgen.training.listen.MetricsJsonlWriter;
import io.roentgen.training.listen.ProgressPrinter;
import io.roentgen.training.listen.RunSummaryWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code roentgen train}: manifest in, model bundle out. Splits by patient when the manifest has
 * no split column, trains with validation every epoch, keeps the best epoch by validation AUROC,
 * and exports it as {@code OUT/bundle}. Ctrl-C or SIGTERM stops after the current step and leaves
 * a checkpoint that {@code --resume} continues from.
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

    @Option(names = "--data", required = true, paramLabel = "MANIFEST|DIR",
            description = "CSV manifest of DICOM files (path,label[,patient_id,study_uid,split]), or a folder of class "
                    + "folders holding DICOM (root/CLASS/**.dcm) or PNG/JPEG images.")
    Path data;

    @Option(names = "--arch", defaultValue = "resnet18", description = "Architecture (see `roentgen models`; default ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--image-size", defaultValue = "224", description = "Input size in pixels (default ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--channels", defaultValue = "1", description = "Input channels, 1 or 3 (default ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--epochs", defaultValue = "20", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw, adam or sgd (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--nesterov", description = "SGD with Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "1e-4",
            description = "Weight decay, on weights of rank >= 2 only, never on biases or batch norm (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--clip-grad-norm", defaultValue = "0", paramLabel = "NORM",
            description = "Clip the global gradient 2-norm to NORM, as PyTorch's clip_grad_norm_ (0: off).")
    double clipGradNorm;

    @Option(names = "--schedule", defaultValue = "cosine", description = "cosine, step or constant (default ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warmup-epochs", defaultValue = "1", description = "Linear warm-up epochs (default ${DEFAULT-VALUE}).")
    double warmupEpochs;

    @Option(names = "--devices", defaultValue = "auto", description = "auto, cpu, gpu, gpu:N or gpu:N,M (default ${DEFAULT-VALUE}).")
    String devices;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder, e.g. runs/NAME.")
    Path out;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for split, shuffles, augmentation, init (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--class-weights", defaultValue = "auto", description = "auto (inverse frequency) or none (default ${DEFAULT-VALUE}).")
    String classWeights;

    @Option(names = "--early-stop", defaultValue = "0", description = "Stop after N epochs without a better validation AUROC (0: off).")
    int earlyStop;

    @Option(names = "--resume", arity = "0..1", fallbackValue = "latest", paramLabel = "auto",
            description = "Continue from the last checkpoint in --out (refused if its checksums do not match); "
                    + "--resume auto falls back to the last intact checkpoint.")
    String resume;

    @Option(names = "--val", defaultValue = "0.15", description = "Validation fraction when the manifest has no split (default ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--test", defaultValue = "0.15", description = "Test fraction when the manifest has no split (default ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--augment", defaultValue = "mild", description = "mild or off (default ${DEFAULT-VALUE}).")
    String augment;

    @Option(names = "--workers", defaultValue = "0", description = "Loader threads (0: one per core).")
    int workers;

    @Mixin
    ManifestFlags manifestFlags;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Keep preprocessed tensors (float16, memory-mapped) here; later epochs and runs skip decoding.")
    Path cache;

    @Option(names = "--on-bad-file", defaultValue = "skip", description = "skip or fail (default ${DEFAULT-VALUE}).")
    String onBadFile;

    @Override
    public Integer call() throws RoentgenException {
        EngineSettings settings = EngineSettings.fromEnvironment();
        List<Device> selected = Devices.select(DeviceSpec.parse(devices), settings);
        System.out.println("Devices: " + selected);
        createRunFolder();
        PreprocessingSpec spec = preprocessing();
        TrainingData training = ImageFolders.isImageFolder(data) ? imageFolder(spec) : dicomManifest(spec);
        io.roentgen.datasets.IdentifierWarning.check(data).ifPresent(System.err::println);
        ArchitectureSpec architecture = new ArchitectureSpec(arch, channels, training.classNames().size(), imageSize,
                manifestFlags.isMultiLabel());
        Architectures.build(architecture); // fail fast on a bad architecture before training
        if (training.train().size() == 0 || training.validation().size() == 0) {
            throw new RoentgenException(data + ": the split has " + training.train().size() + " training and "
                    + training.validation().size() + " validation images; both must be non-empty");
        }
        System.out.printf(Locale.ROOT, "Data: %d training, %d validation images, classes %s%n", training.train().size(),
                training.validation().size(), training.classNames());
        TrainingConfig config = config(training.classNames(), selected);
        StopSignal stop = new StopSignal();
        Thread hook = stop.installShutdownHook(Duration.ofMinutes(2));
        try (TrainingResult result = TrainingRun.builder().config(config).model(() -> block(architecture))
                .trainData(training.train()).validationData(training.validation()).runDirectory(out).resume(resumeMode())
                .listener(ProgressPrinter.forStandardOutput()).listener(new MetricsJsonlWriter())
                .listener(new Charts()).listener(new RunSummaryWriter()).stopSignal(stop).build().run()) {
            if (result.stopped()) {
                System.out.println("Stopped: resume with the same command and --resume.");
                return 0;
            }
            Path bundle = BundleExporter.writer(out.getFileName().toString(), result, config, architecture, spec,
                    training.sourceHash(), "validation").writeDirectory(out.resolve("bundle"));
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

    private ResumeMode resumeMode() throws RoentgenException {
        if (resume == null) {
            return ResumeMode.OFF;
        }
        return switch (resume) {
            case "latest" -> ResumeMode.LATEST;
            case "auto" -> ResumeMode.AUTO;
            default -> throw new RoentgenException("--resume takes no value or 'auto', got '" + resume + "'", true, null);
        };
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

    /** What training reads: two datasets, the class names, and a hash of the source for provenance. */
    private record TrainingData(RandomAccessDataset train, RandomAccessDataset validation, List<String> classNames,
            String sourceHash) {}

    /** A CSV manifest of DICOM files: indexed, split by patient (unless it names a split), cached beside it. */
    private TrainingData dicomManifest(PreprocessingSpec spec) throws RoentgenException {
        Path manifestCsv = Files.isDirectory(data) ? manifestOfFolder() : data;
        DicomCollection collection = DicomCollection.load(manifestCsv, manifestFlags.options(), BadFilePolicy.parse(onBadFile));
        reportBadFiles(collection);
        SplitAssignment split = split(collection.manifest());
        Manifest manifest = split.toManifest();
        SplitCsvWriter.write(split, out.resolve("split.csv"));
        TensorCache tensorCache = tensorCache(spec);
        DicomDataset train = DicomDataset.builder().manifest(manifest).subset(Subset.TRAIN).preprocessing(spec)
                .augmentation(augmentation(), seed).index(collection.index()).badFiles(collection.badFiles())
                .cache(tensorCache).build();
        DicomDataset validation = DicomDataset.builder().manifest(manifest).subset(Subset.VALIDATION).preprocessing(spec)
                .index(collection.index()).badFiles(collection.badFiles()).cache(tensorCache).build();
        return new TrainingData(train, validation, manifest.classNames(), sha256(manifestCsv));
    }

    /** The float16 cache of preprocessed tensors, when --cache names a folder. */
    private TensorCache tensorCache(PreprocessingSpec spec) throws RoentgenException {
        if (cache == null) {
            return null;
        }
        try {
            return TensorCache.open(cache, spec.toJson());
        } catch (IOException e) {
            throw new RoentgenException(cache + ": cannot open the tensor cache: " + e.getMessage(), false, e);
        }
    }

    /** A DICOM folder-per-class layout (root/CLASS/**): listed into OUT/manifest.csv, then read like one. */
    private Path manifestOfFolder() throws RoentgenException {
        Manifest folder = Manifest.readFolder(data, manifestFlags.options());
        StringBuilder csv = new StringBuilder("path,label\n");
        for (var entry : folder.entries()) {
            csv.append(csvField(entry.path().toAbsolutePath().toString())).append(',')
                    .append(csvField(String.join("|", entry.labelNames()))).append('\n');
        }
        Path manifestCsv = out.resolve("manifest.csv");
        try {
            Files.writeString(manifestCsv, csv);
        } catch (IOException e) {
            throw new RoentgenException(manifestCsv + ": cannot write: " + e.getMessage(), false, e);
        }
        System.out.println("Folder layout: " + folder.size() + " DICOM files in " + folder.classNames().size()
                + " class folders, listed in " + manifestCsv);
        return manifestCsv;
    }

    private static String csvField(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** PNG/JPEG class folders through DJL's ImageFolder: no patients, so split by image. */
    private TrainingData imageFolder(PreprocessingSpec spec) throws RoentgenException {
        Engine.getInstance().setRandomSeed((int) seed);
        int validationPercent = (int) Math.round(validationFraction * 100);
        ImageFolders.Split split = ImageFolders.load(data, imageSize, channels, spec.transform().normalization(),
                batchSize, Math.max(1, Math.min(50, validationPercent)));
        System.out.println("Image folder: split by image (no patient identity in PNG/JPEG), "
                + validationPercent + "% validation");
        return new TrainingData(split.train(), split.validation(), split.classNames(), "folder:" + data.toAbsolutePath());
    }

    private SplitAssignment split(Manifest manifest) throws RoentgenException {
        boolean hasSplit = manifest.entries().stream().anyMatch(e -> e.split() != null && !e.split().isBlank());
        if (hasSplit) {
            return SplitAssignment.fromSplitColumn(manifest);
        }
        return PatientSplitter.trainValidationTest(manifest, new SplitFractions(validationFraction, testFraction), seed);
    }

    private PreprocessingSpec preprocessing() {
        // Centred inputs train faster: the window output is in [0, 1]; mean 0.5, std 0.25 put it near N(0, 1).
        List<Float> mean = channels == 1 ? List.of(0.5f) : List.of(0.5f, 0.5f, 0.5f);
        List<Float> std = channels == 1 ? List.of(0.25f) : List.of(0.25f, 0.25f, 0.25f);
        return new PreprocessingSpec(PixelPipeline.defaults(),
                TransformSpec.padAndResize(imageSize, channels).withNormalization(new Normalization(mean, std)));
    }

    private Augmentation augmentation() throws RoentgenException {
        switch (augment.toLowerCase(Locale.ROOT)) {
            case "mild":
                return Augmentation.mild();
            case "off":
                return Augmentation.off();
            default:
                throw RoentgenException.usage("--augment must be mild or off, not '" + augment + "'");
        }
    }

    private TrainingConfig config(List<String> classNames, List<Device> selected) throws RoentgenException {
        try {
            return TrainingConfig.builder().epochs(epochs).batchSize(batchSize).learningRate(learningRate)
                    .optimizer(TrainingConfig.OptimizerKind.valueOf(optimizer.toUpperCase(Locale.ROOT)))
                    .momentum(momentum).nesterov(nesterov).weightDecay(weightDecay).maxGradientNorm(clipGradNorm)
                    .schedule(TrainingConfig.ScheduleKind.valueOf(schedule.toUpperCase(Locale.ROOT)))
                    .warmupEpochs(warmupEpochs).seed(seed)
                    .classWeighting(TrainingConfig.ClassWeighting.valueOf(classWeights.toUpperCase(Locale.ROOT)))
                    .earlyStopPatience(earlyStop).devices(selected).multiLabel(manifestFlags.isMultiLabel())
                    .numClasses(classNames.size()).labelNames(classNames)
                    .loaderWorkers(workers > 0 ? workers : Runtime.getRuntime().availableProcessors())
                    .prefetchBatches(2).build();
        } catch (IllegalArgumentException e) {
            throw RoentgenException.usage(e.getMessage());
        }
    }

    private void createRunFolder() throws RoentgenException {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new RoentgenException(out + ": cannot create the run folder: " + e.getMessage());
        }
    }

    private static void reportBadFiles(DicomCollection collection) {
        if (!collection.badFiles().isEmpty()) {
            System.err.println("roentgen: skipped " + collection.badFiles().count() + " unusable file(s):");
            collection.badFiles().files().forEach(f -> System.err.println("  " + f.path() + ": " + f.reason()));
        }
    }

    private static Block block(ArchitectureSpec spec) {
        try {
            return Architectures.build(spec);
        } catch (RoentgenException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String sha256(Path file) throws RoentgenException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new RoentgenException(file + ": cannot hash: " + e.getMessage());
        }
    }
}
