package io.roentgen.datasets.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.datasets.DatasetThroughput;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.EngineSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark harness counts what it delivers and serves its cached pass from the cache. */
class DatasetThroughputTest {
    @TempDir
    Path temp;

    @BeforeAll
    static void engine() {
        EngineSettings.fromEnvironment().apply();
    }

    @Test
    void coldAndCachedPassesDeliverEverySampleTheCachedOneFromTheCache() throws Exception {
        Manifest manifest = Manifest.readCsv(SynthFixture.write(temp.resolve("synth"), 5).manifest(), ManifestOptions.defaults());
        DatasetThroughput.Report report = DatasetThroughput.coldAndCached(manifest, PreprocessingSpec.standard(32, 1),
                temp.resolve("cache"), 3);
        assertEquals(manifest.size(), report.cold().images());
        assertEquals(manifest.size(), report.cached().images());
        assertEquals(3, report.cached().threads());
        assertEquals(manifest.size(), report.cacheStats().misses(), "the fill pass");
        assertEquals(manifest.size(), report.cacheStats().hits(), "the timed pass");
        assertTrue(report.cold().imagesPerSecond() > 0 && report.cached().imagesPerSecond() > 0);
    }
}
