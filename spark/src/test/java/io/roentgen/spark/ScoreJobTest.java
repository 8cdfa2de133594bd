package io.roentgen.spark;

import io.roentgen.models.bundle.BundleHash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.roentgen.cli.Main;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Same scores everywhere: ScoreJob on local[2] over every transfer syntax we write, against the
 * JSON that {@code roentgen predict} prints for the same files (the CLI command itself, run in
 * this JVM), within 1e-6 for every file; corrupt files are rows with errors, never a failed job.
 */
class ScoreJobTest {
    private static SparkFixture f;
    private static Map<Path, Predicted> expected;

    @BeforeAll
    static void reference() throws Exception {
        f = SparkFixture.get();
        expected = predict(f.scoreFiles());
    }

    /** One row of {@code roentgen predict --format json}: a scored file, or one with an error. */
    private record Predicted(String sop, String series, String study, String label, Map<String, Double> probabilities,
            String error) {
        boolean failed() {
            return error != null;
        }
    }

    /** Runs the CLI's predict command in this JVM, as a user would, and reads its JSON rows by file. */
    private static Map<Path, Predicted> predict(List<Path> files) {
        List<String> args = new ArrayList<>(List.of("predict", "--model", f.bundle.toString(), "--format", "json",
                "--devices", "cpu", "--batch-size", "16"));
        files.forEach(p -> args.add(p.toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try (PrintStream captured = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(captured);
            exit = Main.run(args.toArray(String[]::new));
        } finally {
            System.setOut(stdout);
        }
        assertEquals(1, exit, "predict exits 1 when some files fail (the corrupt ones)");
        Map<Path, Predicted> rows = new HashMap<>();
        for (JsonElement e : JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            Map<String, Double> probabilities = new HashMap<>();
            if (o.has("probabilities")) {
                o.getAsJsonObject("probabilities").entrySet()
                        .forEach(p -> probabilities.put(p.getKey(), p.getValue().getAsDouble()));
            }
            rows.put(Path.of(o.get("file").getAsString()), new Predicted(text(o, "sopInstanceUid"),
                    text(o, "seriesInstanceUid"), text(o, "studyInstanceUid"), text(o, "label"), probabilities,
                    text(o, "error")));
        }
        assertEquals(files.size(), rows.size(), "predict wrote one row per file");
        return rows;
    }

    private static String text(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
    }

    /**
     * With --partitions only the paths go through the shuffle and each task reads its own files
     * (the test above); without it each task scores the bytes binaryFile read for it. Both
     * equal predict.
     */
    @Test
    void spreadOverPartitionsThePathsMoveNotTheBytes() throws Exception {
        List<String> input = List.of(f.scoreFolder.toString());
        assertEquals(List.of("path"), List.of(ScoreJob.files(f.spark, input, "*.dcm", 3).columns()));
        assertEquals(List.of("path", "content"), List.of(ScoreJob.files(f.spark, input, "*.dcm", 0).columns()));
        Path out = f.dir.resolve("scores-unspread.parquet");
        ScoreJob.run(f.spark, new String[] {"--input", f.scoreFolder.toString(), "--model", f.bundle.toString(),
                "--output", out.toString(), "--filter", "*.dcm", "--batch-size", "4"});
        checkAgainstPredict(f.spark.read().parquet(out.toString()).collectAsList());
    }

    @Test
    void scoreJobScoresEqualPredictsAndCorruptFilesAreErrorRows() throws Exception {
        Path out = f.dir.resolve("scores.parquet");
        JobSummary summary = ScoreJob.run(f.spark, new String[] {"--input", f.scoreFolder.toString(), "--model",
                f.bundle.toString(), "--output", out.toString(), "--filter", "*.dcm", "--batch-size", "4",
                "--partitions", "3"});
        List<Row> rows = f.spark.read().parquet(out.toString()).collectAsList();
        // Spark's file sources skip zero-byte files: the empty one is no input row of ScoreJob.
        int files = f.scoreFiles().size() - 1;
        int corrupt = f.corrupt.size() - 1;
        assertEquals(files, rows.size(), "one row per non-empty file");
        assertEquals(files, summary.total());
        assertEquals(corrupt, summary.count("failed"), summary.toJson());
        assertEquals(files - corrupt, summary.count("scored"));
        assertEquals(corrupt, summary.failures().size());
        assertTrue(Files.exists(Path.of(out + ".summary.json")));
        checkAgainstPredict(rows);
        for (String syntax : List.of("explicit", "implicit", "deflate", "rle", "jpeg-lossless")) {
            long scored = rows.stream().filter(r -> r.getAs(ScoreRow.ERROR) == null)
                    .filter(r -> r.<String>getAs(ScoreRow.PATH).contains("/score/" + syntax + "/")).count();
            assertTrue(scored >= 1, "no " + syntax + " file scored");
        }
    }

    @Test
    void aColumnOfPathsScoresAsTheBinaryFileRowsDo() throws Exception {
        StructType schema = new StructType().add("file", DataTypes.StringType);
        List<Row> input = f.scoreFiles().stream().map(p -> RowFactory.create(p.toString())).toList();
        List<Row> rows = RoentgenSpark.score(f.spark.createDataFrame(input, schema).repartition(2), "file",
                f.bundle.toUri(), ScoreOptions.defaults().withBatchSize(3)).collectAsList();
        assertEquals(input.size(), rows.size(), "a path column keeps the empty file: an error row");
        assertEquals(f.corrupt.size(), rows.stream().filter(r -> r.getAs(ScoreRow.ERROR) != null).count());
        checkAgainstPredict(rows);
    }

    @Test
    void usageErrorsComeBeforeAnyScoring() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.roentgen.engine.RoentgenException.class,
                () -> ScoreJob.run(f.spark, new String[] {"--input", f.scoreFolder.toString(), "--model",
                        f.bundle.toString(), "--output", f.dir.resolve("out-local[1].parquet").toString()}));
        assertTrue(e.getMessage().contains("glob"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(io.roentgen.engine.RoentgenException.class,
                () -> ScoreJob.run(f.spark, new String[] {"--input", f.scoreFolder.toString(), "--modle", "x"}));
        assertTrue(e.getMessage().contains("unknown argument '--modle'"), e.getMessage());
    }

    private static void checkAgainstPredict(List<Row> rows) throws Exception {
        String hash = BundleHash.of(f.bundle);
        for (Row row : rows) {
            Path path = DicomSource.localPath(row.getAs(ScoreRow.PATH));
            Predicted want = expected.get(path);
            assertNotNull(want, "predict saw " + path);
            assertEquals("spark-test", row.getAs(ScoreRow.MODEL_NAME));
            assertEquals(hash, row.getAs(ScoreRow.BUNDLE_HASH));
            String error = row.getAs(ScoreRow.ERROR);
            if (want.failed()) {
                assertNotNull(error, path + " failed in predict: " + want.error());
                assertTrue(f.corrupt.contains(path), path + " is not one of the corrupt files: " + error);
                assertFalse(error.isBlank());
                continue;
            }
            assertNull(error, path.toString());
            assertEquals(want.sop(), row.getAs(ScoreRow.SOP_INSTANCE_UID));
            assertEquals(want.series(), row.getAs(ScoreRow.SERIES_INSTANCE_UID));
            assertEquals(want.study(), row.getAs(ScoreRow.STUDY_INSTANCE_UID));
            assertNotNull(row.getAs(ScoreRow.MODALITY));
            assertEquals(want.label(), row.getAs(ScoreRow.LABEL));
            Map<String, Double> probabilities = row.getJavaMap(row.fieldIndex(ScoreRow.PROBABILITIES));
            assertEquals(want.probabilities().keySet(), probabilities.keySet());
            for (var p : want.probabilities().entrySet()) {
                assertEquals(p.getValue(), probabilities.get(p.getKey()), 1e-6, path + " " + p.getKey());
            }
        }
        for (Path corrupt : f.corrupt) {
            assertTrue(expected.get(corrupt).failed(), "predict also fails " + corrupt);
        }
    }
}
