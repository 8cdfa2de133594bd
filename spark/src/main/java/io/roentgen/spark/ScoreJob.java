package io.roentgen.spark;

import io.roentgen.engine.RoentgenException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code spark-submit --class io.roentgen.spark.ScoreJob roentgen-spark.jar --input PATHS|GLOB
 * --model BUNDLE --output OUT.parquet [--batch-size 16] [--partitions N] [--filter GLOB]
 * [--summary FILE]}: scores every file under the inputs (folders are walked; {@code --filter}
 * keeps names matching a glob such as {@code *.dcm}), writes one Parquet row per file and a JSON
 * summary (default {@code OUT.parquet.summary.json}). Without {@code --partitions} each file is
 * read in the task that lists it (Spark's {@code binaryFile} splits); with it, only the paths are
 * spread over the partitions and each task reads its files itself.
 */
public final class ScoreJob {
    private static final Set<String> ARGS = Set.of("--input", "--model", "--output", "--batch-size", "--partitions",
            "--filter", "--summary");

    private ScoreJob() {}

    public static void main(String[] args) throws Exception {
        SparkSession spark = SparkSession.builder().appName("roentgen score").getOrCreate();
        try {
            System.out.println(run(spark, args).line());
        } finally {
            spark.stop();
        }
    }

    /** Runs the job in a session the caller owns. */
    public static JobSummary run(SparkSession spark, String[] args) throws RoentgenException, IOException {
        JobArgs a = JobArgs.parse(args, ARGS);
        List<String> inputs = a.all("--input");
        if (inputs.isEmpty()) {
            throw RoentgenException.usage("--input is required");
        }
        String output = a.required("--output");
        if (output.matches(".*[\\[\\]{}*?].*")) {
            // Spark reads paths as globs: the summary could not read the output back after scoring.
            throw RoentgenException.usage("--output must not contain glob characters ([]{}*?): " + output);
        }
        ScoreOptions options = ScoreOptions.defaults().withBatchSize(a.integer("--batch-size", 16))
                .withPartitions(a.integer("--partitions", 0));
        long start = System.nanoTime();
        Dataset<Row> files = files(spark, inputs, a.optional("--filter", null), options.partitions());
        RoentgenSpark.Scoring scoring = RoentgenSpark.scoring(files, "path", URI.create(a.required("--model")), options);
        spark.sparkContext().setJobDescription("roentgen score: " + inputs.size() + " input(s) -> " + output);
        scoring.rows().write().mode(SaveMode.Overwrite).parquet(output);
        spark.sparkContext().setJobDescription("roentgen score: summary");
        JobSummary summary = summarise(spark.read().parquet(output), output, (System.nanoTime() - start) / 1e9);
        summary.write(a.optional("--summary", output + ".summary.json"));
        return summary;
    }

    /**
     * The files under the inputs, as rows of {@code path} and {@code content}; of {@code path}
     * alone when they are to be spread over partitions: that moves the rows through a shuffle,
     * and shuffling the bytes cost as much as scoring a small model (DECISIONS 96). binaryFile
     * reads a file only when its content is selected; the scoring task then reads it by path.
     * Local folders are listed on the driver ({@link FileListing}).
     */
    static Dataset<Row> files(SparkSession spark, List<String> inputs, String filter, int partitions) {
        var reader = spark.read().format("binaryFile").option("recursiveFileLookup", "true");
        if (filter != null) {
            reader = reader.option("pathGlobFilter", filter);
        }
        Dataset<Row> listed = FileListing.load(spark, reader, inputs);
        return partitions > 0 ? listed.select("path") : listed.select("path", "content");
    }

    /** Counts and failures, read back from what was written (the scoring runs once). */
    static JobSummary summarise(Dataset<Row> written, String output, double seconds) {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        long failed = written.filter(functions.col(ScoreRow.ERROR).isNotNull()).count();
        long total = written.count();
        byStatus.put("scored", total - failed);
        byStatus.put("failed", failed);
        List<JobSummary.Failure> failures = written.filter(functions.col(ScoreRow.ERROR).isNotNull())
                .select(ScoreRow.PATH, ScoreRow.ERROR).orderBy(ScoreRow.PATH).limit(JobSummary.MAX_FAILURES)
                .collectAsList().stream().map(r -> new JobSummary.Failure(r.getString(0), r.getString(1))).toList();
        return new JobSummary("score", output, total, byStatus, seconds, failures);
    }
}
