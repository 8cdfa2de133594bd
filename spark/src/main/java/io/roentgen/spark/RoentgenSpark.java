package io.roentgen.spark;

import io.roentgen.engine.RoentgenException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.util.LongAccumulator;

import java.net.URI;
import java.util.Arrays;

/**
 * Scores DICOM instances on Spark with a model bundle, for notebooks and jobs.
 *
 * <pre>{@code
 * Dataset<Row> files = spark.read().format("binaryFile").load("hdfs:///archive/2024/");
 * Dataset<Row> scores = RoentgenSpark.score(files, "path", URI.create("hdfs:///models/chest.zip"),
 *         ScoreOptions.defaults());
 * }</pre>
 *
 * <p>The input is a column of paths (local, {@code file:}, or any Hadoop URI), or the rows of
 * Spark's {@code binaryFile} source, whose {@code content} column is decoded without a second
 * read. The result has the columns of {@link ScoreRow#SCHEMA}: one row per input row, with an
 * error instead of scores for a file that failed.
 */
public final class RoentgenSpark {
    private RoentgenSpark() {}

    /** The scored rows and the counters the Spark UI shows while they are computed. */
    public record Scoring(Dataset<Row> rows, LongAccumulator scored, LongAccumulator failed) {}

    public static Dataset<Row> score(Dataset<Row> paths, String pathColumn, URI bundle, ScoreOptions options)
            throws RoentgenException {
        return scoring(paths, pathColumn, bundle, options).rows();
    }

    /** As {@link #score}, with the named accumulators {@code roentgen scored} and {@code roentgen failed}. */
    public static Scoring scoring(Dataset<Row> paths, String pathColumn, URI bundle, ScoreOptions options)
            throws RoentgenException {
        StructField path = field(paths, pathColumn);
        if (!path.dataType().equals(DataTypes.StringType)) {
            throw RoentgenException.usage("column '" + pathColumn + "' must hold strings, not " + path.dataType());
        }
        boolean hasContent = Arrays.asList(paths.columns()).contains("content")
                && paths.schema().apply("content").dataType().equals(DataTypes.BinaryType);
        SparkSession spark = paths.sparkSession();
        BundleRef ref = BundleRef.of(bundle);
        LongAccumulator scored = spark.sparkContext().longAccumulator("roentgen scored");
        LongAccumulator failed = spark.sparkContext().longAccumulator("roentgen failed");
        Dataset<Row> input = options.partitions() > 0 ? paths.repartition(options.partitions()) : paths;
        JavaRDD<Row> rows = input.toJavaRDD()
                .mapPartitions(new PartitionScorer(ref, pathColumn, hasContent, options, scored, failed));
        return new Scoring(spark.createDataFrame(rows, ScoreRow.SCHEMA), scored, failed);
    }

    private static StructField field(Dataset<Row> rows, String column) throws RoentgenException {
        if (!Arrays.asList(rows.columns()).contains(column)) {
            throw RoentgenException.usage("no column '" + column + "' in " + Arrays.toString(rows.columns()));
        }
        return rows.schema().apply(column);
    }
}
