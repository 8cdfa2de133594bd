package io.roentgen.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roentgen.datasets.DicomDataset;
import io.roentgen.datasets.cache.CacheStats;
import io.roentgen.training.data.TrainingData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The cache is the same: PrepareJob on local[2] writes, for a training manifest, the very files
 * that `roentgen train --cache` wrote while training (byte for byte), and a training run from
 * PrepareJob's cache decodes nothing.
 */
class PrepareJobTest {

    @Test
    void prepareJobWritesTrainsCacheByteForByteAndTrainingRunsFromIt() throws Exception {
        SparkFixture f = SparkFixture.get();
        Path cache = f.dir.resolve("spark-cache");
        String[] args = {"--manifest", f.trainManifest.toString(), "--image-size", "32", "--channels", "1",
                "--output", cache.toString(), "--partitions", "4"};
        JobSummary first = PrepareJob.run(f.spark, args);
        assertEquals(0, first.count("failed"), first.toJson());
        assertEquals(first.total(), first.count("written"));
        assertTrue(Files.exists(cache.resolve("prepare-summary.json")));

        Map<String, byte[]> trains = entries(f.trainCache);
        Map<String, byte[]> ours = entries(cache);
        assertEquals(first.total(), ours.keySet().stream().filter(n -> n.endsWith(".f16")).count(),
                "one entry per manifest file");
        // One epoch does not visit every sample (the last partial batch is dropped), so train's
        // cache holds most entries, not all; each one it holds must be in ours, byte for byte.
        assertTrue(trains.size() > ours.size() / 2, trains.size() + " of " + ours.size());
        assertTrue(ours.keySet().containsAll(trains.keySet()), "every entry of train --cache, under the same name");
        for (String name : trains.keySet()) {
            assertArrayEquals(trains.get(name), ours.get(name), name);
        }

        JobSummary again = PrepareJob.run(f.spark, args);
        assertEquals(again.total(), again.count("cached"), "a second run finds every entry");

        TrainingData data = f.trainOneEpoch(cache, f.dir.resolve("run-from-spark-cache"), (r, c, a, d) -> {});
        CacheStats train = ((DicomDataset) data.train()).cache().stats();
        CacheStats validation = ((DicomDataset) data.validation()).cache().stats();
        assertTrue(train.hits() > 0 && validation.hits() > 0);
        assertEquals(0, train.misses() + validation.misses(), "training decoded nothing: " + train + " " + validation);
        assertEquals(0, train.writes() + validation.writes());
    }

    @Test
    void filesThatFailAreCountedWithTheirReasons() throws Exception {
        SparkFixture f = SparkFixture.get();
        Path manifest = f.dir.resolve("bad-manifest.csv");
        StringBuilder csv = new StringBuilder("path,label\n");
        csv.append(SparkFixture.firstDicom(f.dir.resolve("train"))).append(",normal\n");
        for (Path corrupt : f.corrupt) {
            csv.append(corrupt).append(",nodule\n");
        }
        Files.writeString(manifest, csv);
        JobSummary s = PrepareJob.run(f.spark, new String[] {"--manifest", manifest.toString(), "--spec",
                f.bundle.toString(), "--output", f.dir.resolve("bad-cache").toString()});
        assertEquals(1 + f.corrupt.size(), s.total());
        assertEquals(1, s.count("written"));
        assertEquals(f.corrupt.size(), s.count("failed"), s.toJson());
        assertEquals(f.corrupt.size(), s.failures().size());
        s.failures().forEach(x -> assertTrue(!x.reason().isBlank()));
    }

    /** Relative name to bytes of every file under a cache (entries and spec.json; summaries left out). */
    private static Map<String, byte[]> entries(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith("summary.json")).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
