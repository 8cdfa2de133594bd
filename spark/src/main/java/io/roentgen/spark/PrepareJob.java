package io.roentgen.spark;

import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestEntry;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.training.data.TrainingSources;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code spark-submit --class io.roentgen.spark.PrepareJob roentgen-spark.jar --manifest M.csv
 * (--spec BUNDLE|SPEC.json | --image-size N --channels C) --output DIR [--partitions N]
 * [--summary FILE]}: decodes and preprocesses every file of a training manifest into the float16
 * tensor cache that {@code roentgen train --cache DIR} reads. The spec is a bundle's (retraining
 * a model), a spec JSON, or train's own flags ({@link TrainingSources#preprocessing}), so the
 * entries are exactly the ones train looks up. Summary: {@code DIR/prepare-summary.json}.
 */
public final class PrepareJob {
    private static final Set<String> ARGS = Set.of("--manifest", "--spec", "--image-size", "--channels", "--output",
            "--partitions", "--summary");

    private PrepareJob() {}

    public static void main(String[] args) throws Exception {
        SparkSession spark = SparkSession.builder().appName("roentgen prepare").getOrCreate();
        try {
            System.out.println(run(spark, args).line());
        } finally {
            spark.stop();
        }
    }

    public static JobSummary run(SparkSession spark, String[] args) throws RoentgenException, IOException {
        JobArgs a = JobArgs.parse(args, ARGS);
        Path manifestCsv = Path.of(a.required("--manifest"));
        Path output = Path.of(a.required("--output")).toAbsolutePath().normalize();
        PreprocessingSpec spec = spec(a);
        List<String> files = Manifest.readCsv(manifestCsv, ManifestOptions.defaults()).entries().stream()
                .map(ManifestEntry::path).map(p -> p.toAbsolutePath().normalize().toString()).toList();
        long start = System.nanoTime();
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LongAccumulator done = spark.sparkContext().longAccumulator("roentgen prepared");
        LongAccumulator failed = spark.sparkContext().longAccumulator("roentgen failed");
        int partitions = a.integer("--partitions", context.defaultParallelism());
        context.setJobDescription("roentgen prepare: " + files.size() + " files -> " + output);
        JavaRDD<CachePreparer.Outcome> outcomes = context.parallelize(files, Math.max(1, partitions))
                .mapPartitions(new CachePreparer(output.toString(), spec.toJson(), done, failed))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Map<String, Long> byStatus = new LinkedHashMap<>();
            outcomes.map(CachePreparer.Outcome::status).countByValue().forEach(byStatus::put);
            List<JobSummary.Failure> failures = outcomes.filter(o -> o.reason() != null)
                    .take(JobSummary.MAX_FAILURES).stream().map(o -> new JobSummary.Failure(o.path(), o.reason()))
                    .toList();
            JobSummary summary = new JobSummary("prepare", output.toString(), files.size(), byStatus,
                    (System.nanoTime() - start) / 1e9, failures);
            summary.write(a.optional("--summary", output.resolve("prepare-summary.json").toString()));
            return summary;
        } finally {
            outcomes.unpersist(false);
        }
    }

    /** A bundle's spec, a spec JSON file, or train's flags (default 224 px, 1 channel, as train). */
    static PreprocessingSpec spec(JobArgs a) throws RoentgenException, IOException {
        String from = a.optional("--spec", null);
        if (from == null) {
            return TrainingSources.preprocessing(a.integer("--image-size", 224), a.integer("--channels", 1));
        }
        Path path = Path.of(from);
        if (from.endsWith(".json") && Files.isRegularFile(path)) {
            return PreprocessingSpec.fromJson(Files.readString(path));
        }
        return ModelBundle.readManifest(path).preprocessing();
    }
}
