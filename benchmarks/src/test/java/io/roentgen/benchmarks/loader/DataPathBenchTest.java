package io.roentgen.benchmarks.loader;

import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.datasets.synth.SynthSpec;
import io.roentgen.datasets.synth.SyntheticCollection;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.EngineSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data-path harness counts what it delivers and serves its timed cached passes from the cache. */
class DataPathBenchTest {
    @TempDir
    Path temp;

    @BeforeAll
    static void engine() {
        EngineSettings.fromEnvironment().apply();
    }

    @Test
    void everyPassDeliversEverySampleAndTheCachedOnesComeFromTheCache() throws Exception {
        Manifest manifest = Manifest.readCsv(SyntheticCollection.write(temp.resolve("synth"), SynthSpec.defaults(5))
                .manifest(), ManifestOptions.defaults());
        DataPathBench.Result result = DataPathBench.run(manifest, PreprocessingSpec.standard(32, 1), temp.resolve("cache"),
                3, 2);
        assertEquals(2, result.coldImagesPerSecond().length);
        assertEquals(2, result.cachedImagesPerSecond().length);
        assertEquals(2L * manifest.size(), result.timedCacheLookups(), "two timed passes over every sample");
        assertEquals(result.timedCacheLookups(), result.timedCacheHits(), "the fill pass cached every sample");
        for (double rate : result.cachedImagesPerSecond()) {
            assertTrue(rate > 0);
        }
    }

    @Test
    void aPassHandsEverySampleToTheThreadsOnce() throws Exception {
        Manifest manifest = Manifest.readCsv(SyntheticCollection.write(temp.resolve("synth"), SynthSpec.defaults(4))
                .manifest(), ManifestOptions.defaults());
        var dataset = io.roentgen.datasets.DicomDataset.builder().manifest(manifest)
                .preprocessing(PreprocessingSpec.standard(32, 1)).build();
        DatasetPasses.Measurement m = DatasetPasses.measure(dataset, 3, 2);
        assertEquals(2L * manifest.size(), m.images());
        assertEquals(3, m.threads());
    }
}
