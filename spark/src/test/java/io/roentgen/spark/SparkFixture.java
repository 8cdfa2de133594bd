package io.roentgen.spark;

import ai.djl.nn.Block;
import io.roentgen.datasets.manifest.BadFilePolicy;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.datasets.synth.SynthEncoding;
import io.roentgen.datasets.synth.SynthModality;
import io.roentgen.datasets.synth.SynthSpec;
import io.roentgen.datasets.synth.SyntheticCollection;
import io.roentgen.dicom.image.Augmentation;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.training.TrainingRun;
import io.roentgen.training.data.TrainingData;
import io.roentgen.training.data.TrainingSources;
import io.roentgen.training.export.BundleExporter;
import io.roentgen.training.run.TrainingConfig;
import io.roentgen.training.run.TrainingResult;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the Spark tests share, made once per test JVM: a {@code local[2]} session, a {@code small}
 * network trained for one epoch at 32 px through the training API exactly as {@code roentgen
 * train --cache} runs it (which also fills {@link #trainCache}), and a collection to score in every
 * transfer syntax we write (explicit, implicit, deflated, RLE, JPEG lossless by dcmtk) with three
 * corrupt files.
 */
final class SparkFixture {
    static final int SIZE = 32;
    private static SparkFixture instance;

    final Path dir;
    final SparkSession spark;
    final Path trainManifest;
    final Path trainCache;
    final Path bundle;
    final Path scoreFolder;
    final List<Path> corrupt = new ArrayList<>();

    /**
     * The bundle and score folder of a fixture that the unit tests of this build already made
     * (marked complete), for the launcher test in its own JVM; null when there is none.
     */
    static Path[] made() {
        Path d = Path.of("target", "spark-fixture").toAbsolutePath();
        return Files.exists(d.resolve("complete")) ? new Path[] {d.resolve("model.zip"), d.resolve("score")} : null;
    }

    static synchronized SparkFixture get() throws Exception {
        if (instance == null) {
            instance = new SparkFixture();
        }
        return instance;
    }

    private SparkFixture() throws Exception {
        EngineSettings.fromEnvironment().apply();
        dir = Path.of("target", "spark-fixture").toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
        trainManifest = SyntheticCollection.write(dir.resolve("train"),
                new SynthSpec(12, SynthModality.CT, 64, List.of("normal", "nodule"), 0.5, SynthEncoding.EXPLICIT, 7))
                .manifest();
        trainCache = dir.resolve("train-cache");
        bundle = train(trainCache, dir.resolve("run"));
        scoreFolder = dir.resolve("score");
        writeScoreCollection();
        spark = SparkSession.builder().master("local[2]").appName("roentgen-spark-test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4").getOrCreate();
        Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
        Files.writeString(dir.resolve("complete"), "");
    }

    /** The request `roentgen train --data M --cache DIR --image-size 32 --channels 1` makes. */
    TrainingSources.Request trainRequest(Path cache, Path runFolder) {
        return new TrainingSources.Request(trainManifest, runFolder, ManifestOptions.defaults(), BadFilePolicy.SKIP,
                TrainingSources.preprocessing(SIZE, 1), Augmentation.off(), 5, 0.25, 0.0, cache, SIZE, 1, 8);
    }

    /** What to do with a finished run while its parameters are still open. */
    @FunctionalInterface
    interface AfterTraining {
        void accept(TrainingResult result, TrainingConfig config, ArchitectureSpec arch, TrainingData data)
                throws Exception;
    }

    /** One epoch of `small`, as TrainCommand runs it; returns the data it read, for its cache statistics. */
    TrainingData trainOneEpoch(Path cache, Path runFolder, AfterTraining after) throws Exception {
        Files.createDirectories(runFolder);
        TrainingSources.Request request = trainRequest(cache, runFolder);
        TrainingData data = TrainingSources.load(request, note -> {});
        ArchitectureSpec arch = new ArchitectureSpec("small", 1, data.classNames().size(), SIZE, false);
        TrainingConfig config = config(data);
        try (TrainingResult result = TrainingRun.builder().config(config).model(() -> block(arch))
                .trainData(data.train()).validationData(data.validation()).runDirectory(runFolder).build().run()) {
            after.accept(result, config, arch, data);
        }
        return data;
    }

    private Path train(Path cache, Path runFolder) throws Exception {
        Path[] zip = new Path[1];
        trainOneEpoch(cache, runFolder, (result, config, arch, data) -> zip[0] = BundleExporter.writer("spark-test",
                result, config, arch, TrainingSources.preprocessing(SIZE, 1), data.sourceHash(), "validation")
                .writeZip(dir.resolve("model.zip")));
        return zip[0];
    }

    private static TrainingConfig config(TrainingData data) {
        return TrainingConfig.builder().epochs(1).batchSize(8).learningRate(1e-2)
                .optimizer(TrainingConfig.OptimizerKind.ADAMW).seed(5).numClasses(data.classNames().size())
                .labelNames(data.classNames()).loaderWorkers(1).prefetchBatches(2).bootstrapResamples(0).build();
    }

    private static Block block(ArchitectureSpec spec) {
        try {
            return Architectures.build(spec);
        } catch (RoentgenException e) {
            throw new IllegalStateException(e);
        }
    }

    private void writeScoreCollection() throws Exception {
        SynthModality[] modalities = {SynthModality.CT, SynthModality.CR, SynthModality.MR, SynthModality.CT};
        for (SynthEncoding e : SynthEncoding.values()) {
            SyntheticCollection.write(scoreFolder.resolve(e.name().toLowerCase()), new SynthSpec(2,
                    modalities[e.ordinal()], 64, List.of("normal", "nodule"), 0.5, e, 11 + e.ordinal()));
        }
        Path explicit = firstDicom(scoreFolder.resolve("explicit"));
        Path jpeg = Files.createDirectories(scoreFolder.resolve("jpeg-lossless")).resolve("lossless.dcm");
        run("dcmcjpeg", "+e1", explicit.toString(), jpeg.toString());
        Path bad = Files.createDirectories(scoreFolder.resolve("corrupt"));
        byte[] good = Files.readAllBytes(explicit);
        corrupt.add(Files.write(bad.resolve("truncated.dcm"), Arrays.copyOf(good, good.length - 100)));
        corrupt.add(Files.writeString(bad.resolve("text.dcm"), "not a DICOM file\n"));
        corrupt.add(Files.write(bad.resolve("empty.dcm"), new byte[0]));
    }

    static Path firstDicom(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).sorted().findFirst().orElseThrow();
        }
    }

    /** Every .dcm under the score folder, sorted. */
    List<Path> scoreFiles() throws IOException {
        try (Stream<Path> s = Files.walk(scoreFolder)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
