package io.roentgen.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.List;

/**
 * Lists a job's input files through a file source, on the driver when every input is on the local
 * file system.
 *
 * <p>Spark lists the sub-folders of an input in a Spark job of one task per folder once there are
 * more than {@value #THRESHOLD_DEFAULT} of them ({@code parallelPartitionDiscovery.threshold}).
 * For an export with one folder per patient on a local disk those tasks were all overhead: 250
 * folders took 3.1-5.7 s on {@code local[1]} (6-11 ms per image, growing with the archive),
 * against 0.3 s listed on the driver (DECISIONS, "ScoreJob lists local inputs on the driver"). A
 * remote store (HDFS, S3) keeps Spark's distributed listing, and so does a threshold the user set.
 */
final class FileListing {
    static final String THRESHOLD = "spark.sql.sources.parallelPartitionDiscovery.threshold";
    static final int THRESHOLD_DEFAULT = 32;

    private FileListing() {}

    /** {@code reader.load(inputs)}, with the listing on the driver when {@link #listOnDriver} says so. */
    static Dataset<Row> load(SparkSession spark, DataFrameReader reader, List<String> inputs) {
        String[] paths = inputs.toArray(String[]::new);
        if (!listOnDriver(spark, inputs)) {
            return reader.load(paths);
        }
        // load() lists eagerly; the setting is the session's, so it is put back at once.
        spark.conf().set(THRESHOLD, Integer.MAX_VALUE);
        try {
            return reader.load(paths);
        } finally {
            spark.conf().unset(THRESHOLD);
        }
    }

    /** True when the user set no threshold and every input resolves to the local file system. */
    static boolean listOnDriver(SparkSession spark, List<String> inputs) {
        if (spark.conf().contains(THRESHOLD)) {
            return false;
        }
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        for (String input : inputs) {
            try {
                // A path without a scheme is on the default file system: HDFS on most clusters.
                if (!"file".equals(new Path(input).getFileSystem(hadoop).getUri().getScheme())) {
                    return false;
                }
            } catch (IOException | RuntimeException e) {
                // No file system for the scheme here (s3a: without its jar) or a malformed
                // input: not local, and Spark's own listing reports it as it always has.
                return false;
            }
        }
        return true;
    }
}
