package io.roentgen.datasets.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Record;
import io.roentgen.datasets.DicomDataset;
import io.roentgen.datasets.cache.CacheStats;
import io.roentgen.datasets.cache.TensorCache;
import io.roentgen.datasets.manifest.BadFilePolicy;
import io.roentgen.datasets.manifest.BadFileReport;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.datasets.split.PatientSplitter;
import io.roentgen.datasets.split.SplitFractions;
import io.roentgen.datasets.split.Subset;
import io.roentgen.dicom.image.Augmentation;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomDatasetTest {
    private static final PreprocessingSpec SPEC = PreprocessingSpec.standard(48, 1);

    @TempDir
    static Path shared;
    @TempDir
    Path temp;

    private static Manifest manifest;

    @BeforeAll
    static void collection() throws RoentgenException {
        EngineSettings.fromEnvironment().apply();
        manifest = Manifest.readCsv(SynthFixture.write(shared.resolve("synth"), 8).manifest(), ManifestOptions.defaults());
    }

    @Test
    void recordsAreChannelsByHeightByWidthWithAClassIndexLabel() throws Exception {
        DicomDataset dataset = DicomDataset.builder().manifest(manifest).preprocessing(SPEC).build();
        assertEquals(manifest.size(), dataset.size());
        try (NDManager nd = NDManager.newBaseManager()) {
            for (int i = 0; i < 3; i++) {
                Record record = dataset.get(nd, i);
                assertEquals(new Shape(1, 48, 48), record.getData().head().getShape());
                assertEquals(DataType.FLOAT32, record.getData().head().getDataType());
                assertEquals(new Shape(), record.getLabels().head().getShape());
                assertEquals(manifest.entries().get(i).labelIndices().get(0), (int) record.getLabels().head().getFloat());
            }
        }
    }

    @Test
    void multiLabelManifestsGiveMultiHotVectors() throws Exception {
        Manifest multi = Manifest.readCsv(manifest.root().resolve("manifest.csv"), ManifestOptions.defaults().withMultiLabel());
        DicomDataset dataset = DicomDataset.builder().manifest(multi).preprocessing(SPEC).build();
        try (NDManager nd = NDManager.newBaseManager()) {
            float[] label = dataset.get(nd, 0).getLabels().head().toFloatArray();
            float[] expected = new float[multi.classCount()];
            expected[multi.entries().get(0).labelIndices().get(0)] = 1;
            assertArrayEquals(expected, label);
        }
    }

    @Test
    void aSubsetKeepsOnlyItsEntries() throws Exception {
        Manifest split = PatientSplitter.trainValidationTest(manifest, new SplitFractions(0.25, 0.25), 5).toManifest();
        DicomDataset train = DicomDataset.builder().manifest(split).subset(Subset.TRAIN).preprocessing(SPEC).build();
        long expected = split.entries().stream().filter(e -> "train".equals(e.split())).count();
        assertEquals(expected, train.size());
        assertTrue(train.manifest().entries().stream().allMatch(e -> "train".equals(e.split())));
    }

    @Test
    void theSameSeedGivesTheSameAugmentedTensorsAndTheEpochVariesThem() throws Exception {
        DicomDataset a = augmented(3);
        DicomDataset b = augmented(3);
        boolean epochChangedSomething = false;
        for (int i = 0; i < 6; i++) {
            FloatImage first = a.sample(i).image();
            assertTrue(first.sameAs(b.sample(i).image()), "sample " + i);
            a.setEpoch(1);
            epochChangedSomething |= !first.sameAs(a.sample(i).image());
            a.setEpoch(0);
        }
        assertTrue(epochChangedSomething);
        boolean seedChangedSomething = false;
        DicomDataset c = augmented(4);
        for (int i = 0; i < 6; i++) {
            seedChangedSomething |= !a.sample(i).image().sameAs(c.sample(i).image());
        }
        assertTrue(seedChangedSomething);
    }

    @Test
    void parallelGetsGiveWhatSequentialGetsGive() throws Exception {
        DicomDataset dataset = augmented(9);
        List<FloatImage> sequential = new ArrayList<>();
        for (int i = 0; i < dataset.size(); i++) {
            sequential.add(dataset.sample(i).image());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<FloatImage>> futures = new ArrayList<>();
            for (int i = 0; i < dataset.size(); i++) {
                int index = i;
                futures.add(pool.submit(() -> dataset.sample(index).image()));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertTrue(sequential.get(i).sameAs(futures.get(i).get()), "sample " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void corruptAndNonImageFilesAreSkippedAndReportedOrFail() throws Exception {
        Path copy = temp.resolve("copy");
        SynthFixture.copyTree(manifest.root(), copy);
        Path truncated = copy.resolve(manifest.root().relativize(manifest.entries().get(1).path()).toString());
        try (FileChannel channel = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
        Files.writeString(copy.resolve("notes.dcm"), "this is not DICOM\n");
        // a synth manifest has five columns: path, label, patient_id, study_uid, lesions
        Files.writeString(copy.resolve("manifest.csv"), "notes.dcm,normal,TEXT1,,\n", StandardOpenOption.APPEND);
        Manifest damaged = Manifest.readCsv(copy.resolve("manifest.csv"), ManifestOptions.defaults());

        BadFileReport report = new BadFileReport(BadFilePolicy.SKIP);
        DicomDataset dataset = DicomDataset.builder().manifest(damaged).preprocessing(SPEC).badFiles(report).build();
        assertEquals(damaged.size() - 2, dataset.size());
        assertEquals(2, report.count());
        assertTrue(report.files().get(0).reason().contains("truncated"), report.files().toString());
        assertTrue(report.files().get(1).reason().contains("not readable DICOM"), report.files().toString());
        assertTrue(report.files().get(1).reason().contains("manifest line " + (damaged.size() + 1)), report.files().toString());
        for (int i = 0; i < dataset.size(); i++) {
            dataset.sample(i);
        }
        assertTrue(dataset.substitutions().isEmpty());

        RoentgenException e = assertThrows(RoentgenException.class, () -> DicomDataset.builder().manifest(damaged)
                .preprocessing(SPEC).badFiles(new BadFileReport(BadFilePolicy.FAIL)).build());
        assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
    }

    @Test
    void aSampleThatFailsInGetIsReplacedByTheNextAndRecorded() throws Exception {
        Path copy = temp.resolve("copy");
        SynthFixture.copyTree(manifest.root(), copy);
        Manifest copied = Manifest.readCsv(copy.resolve("manifest.csv"), ManifestOptions.defaults());
        DicomDataset dataset = DicomDataset.builder().manifest(copied).preprocessing(SPEC).build();
        ManifestEntry victim = copied.entries().get(2);
        // Damaged after indexing, as a disk error or a concurrent writer would.
        try (FileChannel channel = FileChannel.open(victim.path(), StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 100);
        }
        try (NDManager nd = NDManager.newBaseManager()) {
            Record record = dataset.get(nd, 2);
            assertEquals(new Shape(1, 48, 48), record.getData().head().getShape());
            assertEquals(copied.entries().get(3).labelIndices().get(0), (int) record.getLabels().head().getFloat());
        }
        assertEquals(3, dataset.sample(2).entryIndex(), "the failed sample is not retried");
        assertEquals(1, dataset.badFiles().count());
        assertEquals(victim.path(), dataset.badFiles().files().get(0).path());
        assertFalse(dataset.substitutions().isEmpty());
    }

    @Test
    void theCacheServesTheColdTensorsWithinFloat16RoundingFromTheSecondEpoch() throws Exception {
        DicomDataset cold = DicomDataset.builder().manifest(manifest).preprocessing(SPEC).build();
        TensorCache cache = TensorCache.open(temp.resolve("cache"), SPEC.toJson());
        DicomDataset cached = DicomDataset.builder().manifest(manifest).preprocessing(SPEC).cache(cache).build();
        int n = (int) cached.size();
        for (int epoch = 0; epoch < 2; epoch++) {
            cached.setEpoch(epoch);
            for (int i = 0; i < n; i++) {
                float[] expected = cold.sample(i).image().data();
                float[] actual = cached.sample(i).image().data();
                for (int k = 0; k < expected.length; k++) {
                    assertEquals(expected[k], actual[k], Math.max(1e-3f, Math.abs(expected[k]) / 1024), "sample " + i);
                }
            }
            CacheStats stats = cache.stats();
            assertEquals(n, stats.misses(), "only the first epoch decodes");
            assertEquals((long) epoch * n, stats.hits());
        }
    }

    private static DicomDataset augmented(long seed) throws RoentgenException {
        return DicomDataset.builder().manifest(manifest).preprocessing(SPEC).augmentation(Augmentation.mild(), seed).build();
    }

}
