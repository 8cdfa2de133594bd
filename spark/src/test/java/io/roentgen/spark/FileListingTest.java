package io.roentgen.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * ScoreJob lists a local tree of more folders than Spark's parallel-listing threshold on the
 * driver, with no Spark job, and leaves the session's settings as they were; Spark's own listing
 * of the same tree starts a job, and so does ScoreJob's when the user set the threshold.
 */
class FileListingTest {
    private static final int FOLDERS = FileListing.THRESHOLD_DEFAULT + 8;
    private static SparkFixture f;
    private static Path root;

    @BeforeAll
    static void tree() throws Exception {
        f = SparkFixture.get();
        root = f.dir.resolve("listing");
        SparkFixture.deleteTree(root);
        for (int i = 0; i < FOLDERS; i++) {
            Files.writeString(Files.createDirectories(root.resolve("patient-" + i)).resolve("image.dcm"), "x");
        }
    }

    @Test
    void sparkItselfListsTheseFoldersInAJob() throws Exception {
        assertEquals(1, jobsWhile(() -> f.spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(root.toString())), "the tree is above the threshold: one listing job");
    }

    @Test
    void scoreJobListsLocalFoldersOnTheDriver() throws Exception {
        List<String> input = List.of(root.toString());
        assertTrue(FileListing.listOnDriver(f.spark, input));
        AtomicReference<Dataset<Row>> listed = new AtomicReference<>();
        assertEquals(0, jobsWhile(() -> listed.getAndSet(ScoreJob.files(f.spark, input, "*.dcm", 3))));
        assertEquals(FOLDERS, listed.get().count(), "every folder's file");
        assertFalse(f.spark.conf().contains(FileListing.THRESHOLD), "the session's setting is put back");
    }

    @Test
    void aThresholdTheUserSetWins() throws Exception {
        f.spark.conf().set(FileListing.THRESHOLD, FileListing.THRESHOLD_DEFAULT);
        try {
            assertFalse(FileListing.listOnDriver(f.spark, List.of(root.toString())));
            assertEquals(1, jobsWhile(() -> ScoreJob.files(f.spark, List.of(root.toString()), "*.dcm", 3)));
            assertEquals(String.valueOf(FileListing.THRESHOLD_DEFAULT), f.spark.conf().get(FileListing.THRESHOLD));
        } finally {
            f.spark.conf().unset(FileListing.THRESHOLD);
        }
    }

    @Test
    void anyInputOffTheLocalFileSystemKeepsSparksListing() {
        assertTrue(FileListing.listOnDriver(f.spark, List.of("file:" + root, "target/spark-fixture")),
                "file: URIs and relative paths are local in local mode");
        assertFalse(FileListing.listOnDriver(f.spark, List.of(root.toString(), "s3a://archive/2024")),
                "a store this JVM has no file system for is not local");
    }

    /** Spark jobs started while {@code action} ran, counted once the listener bus has delivered them. */
    private static int jobsWhile(Supplier<?> action) throws Exception {
        SparkContext sc = f.spark.sparkContext();
        sc.listenerBus().waitUntilEmpty();
        AtomicInteger jobs = new AtomicInteger();
        SparkListener counter = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                jobs.incrementAndGet();
            }
        };
        sc.addSparkListener(counter);
        try {
            action.get();
            sc.listenerBus().waitUntilEmpty();
            return jobs.get();
        } finally {
            sc.removeSparkListener(counter);
        }
    }
}
