package io.roentgen.training.data;

import io.roentgen.datasets.manifest.BadFilePolicy;
import io.roentgen.datasets.manifest.BadFileReport;

import ai.djl.engine.Engine;
import io.roentgen.datasets.DicomCollection;
import io.roentgen.datasets.DicomDataset;
import io.roentgen.datasets.ImageFolders;
import io.roentgen.datasets.cache.TensorCache;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestCsvWriter;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.datasets.split.PatientSplitter;
import io.roentgen.datasets.split.SplitAssignment;
import io.roentgen.datasets.split.SplitCsvWriter;
import io.roentgen.datasets.split.SplitFractions;
import io.roentgen.datasets.split.Subset;
import io.roentgen.dicom.image.Augmentation;
import io.roentgen.dicom.image.Normalization;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.RoentgenException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Assembles a run's {@link TrainingData} from what {@code roentgen train --data} names: a CSV
 * manifest of DICOM files, a folder of DICOM class folders (listed into {@code RUN/manifest.csv}
 * first), or PNG/JPEG class folders. DICOM is split by patient unless the manifest names a split,
 * and the split is written to {@code RUN/split.csv}; PNG/JPEG has no patients and is split by image.
 */
public final class TrainingSources {
    /**
     * Where the data is and how to read it. The fractions apply when the manifest has no split
     * column ({@code validation} also to image folders); {@code cache} may be null (no tensor cache).
     */
    public record Request(Path data, Path runFolder, ManifestOptions manifestOptions, BadFilePolicy badFilePolicy,
            PreprocessingSpec preprocessing, Augmentation augmentation, long seed, double validationFraction,
            double testFraction, Path cache, int imageSize, int channels, int batchSize) {}

    private TrainingSources() {}

    /**
     * The preprocessing of a training run: the standard pixel pipeline, pad to square and resize,
     * then centre the window output: it is in [0, 1], and mean 0.5, std 0.25 put it near N(0, 1),
     * which trains faster.
     */
    public static PreprocessingSpec preprocessing(int imageSize, int channels) {
        List<Float> mean = channels == 1 ? List.of(0.5f) : List.of(0.5f, 0.5f, 0.5f);
        List<Float> std = channels == 1 ? List.of(0.25f) : List.of(0.25f, 0.25f, 0.25f);
        return PreprocessingSpec.standard(imageSize, channels).withNormalization(new Normalization(mean, std));
    }

    /** The datasets; {@code notes} hears one line about how the data was read. */
    public static TrainingData load(Request request, Consumer<String> notes) throws RoentgenException {
        return ImageFolders.isImageFolder(request.data()) ? imageFolder(request, notes) : dicomManifest(request, notes);
    }

    /** A CSV manifest of DICOM files: indexed, split by patient (unless it names a split), cached where asked. */
    private static TrainingData dicomManifest(Request r, Consumer<String> notes) throws RoentgenException {
        Path manifestCsv = Files.isDirectory(r.data()) ? manifestOfFolder(r, notes) : r.data();
        DicomCollection collection = DicomCollection.load(manifestCsv, r.manifestOptions(), r.badFilePolicy());
        SplitAssignment split = split(collection.manifest(), r);
        Manifest manifest = split.toManifest();
        SplitCsvWriter.write(split, r.runFolder().resolve("split.csv"));
        TensorCache tensorCache = tensorCache(r);
        DicomDataset train = DicomDataset.builder().manifest(manifest).subset(Subset.TRAIN).preprocessing(r.preprocessing())
                .augmentation(r.augmentation(), r.seed()).index(collection.index()).badFiles(collection.badFiles())
                .cache(tensorCache).build();
        DicomDataset validation = DicomDataset.builder().manifest(manifest).subset(Subset.VALIDATION)
                .preprocessing(r.preprocessing()).index(collection.index()).badFiles(collection.badFiles())
                .cache(tensorCache).build();
        return new TrainingData(train, validation, manifest.classNames(), sha256(manifestCsv), collection.badFiles());
    }

    /** The float16 cache of preprocessed tensors, when the request names a folder for it. */
    private static TensorCache tensorCache(Request r) throws RoentgenException {
        if (r.cache() == null) {
            return null;
        }
        try {
            return TensorCache.open(r.cache(), r.preprocessing().toJson());
        } catch (IOException e) {
            throw new RoentgenException(r.cache() + ": cannot open the tensor cache: " + e.getMessage(), false, e);
        }
    }

    /** A DICOM folder-per-class layout (root/CLASS/**): listed into RUN/manifest.csv, then read like one. */
    private static Path manifestOfFolder(Request r, Consumer<String> notes) throws RoentgenException {
        Manifest folder = Manifest.readFolder(r.data(), r.manifestOptions());
        Path manifestCsv = ManifestCsvWriter.writePathsAndLabels(folder, r.runFolder().resolve("manifest.csv"));
        notes.accept("Folder layout: " + folder.size() + " DICOM files in " + folder.classNames().size()
                + " class folders, listed in " + manifestCsv);
        return manifestCsv;
    }

    /** PNG/JPEG class folders through DJL's ImageFolder: no patients, so split by image. */
    private static TrainingData imageFolder(Request r, Consumer<String> notes) throws RoentgenException {
        Engine.getInstance().setRandomSeed((int) r.seed());
        int validationPercent = (int) Math.round(r.validationFraction() * 100);
        ImageFolders.Split split = ImageFolders.load(r.data(), r.imageSize(), r.channels(),
                r.preprocessing().normalization(), r.batchSize(), Math.max(1, Math.min(50, validationPercent)));
        notes.accept("Image folder: split by image (no patient identity in PNG/JPEG), " + validationPercent + "% validation");
        return new TrainingData(split.train(), split.validation(), split.classNames(),
                "folder:" + r.data().toAbsolutePath(), new BadFileReport(BadFilePolicy.SKIP));
    }

    private static SplitAssignment split(Manifest manifest, Request r) throws RoentgenException {
        boolean hasSplit = manifest.entries().stream().anyMatch(e -> e.split() != null && !e.split().isBlank());
        if (hasSplit) {
            return SplitAssignment.fromSplitColumn(manifest);
        }
        return PatientSplitter.trainValidationTest(manifest, new SplitFractions(r.validationFraction(), r.testFraction()),
                r.seed());
    }

    private static String sha256(Path file) throws RoentgenException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new RoentgenException(file + ": cannot hash: " + e.getMessage());
        }
    }
}
