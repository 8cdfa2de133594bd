package io.roentgen.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * One model per executor JVM: jobs of 8 partitions on local[2] (both executor threads live in
 * this JVM) load the bundle once, close every task's scorer, and leave the live NDArray count
 * where it was.
 */
class OneModelPerExecutorTest {

    @Test
    void eightPartitionsLoadTheModelOnceAndLeaveNoArraysBehind() throws Exception {
        SparkFixture f = SparkFixture.get();
        score(f); // the model is loaded now, if no other test loaded it before
        long loads = ExecutorModels.loads();
        int arrays = liveArrays();
        assertTrue(arrays > 0, "the count sees the loaded model's parameters");
        for (int job = 0; job < 2; job++) {
            List<Row> rows = score(f);
            assertEquals(f.scoreFiles().size() - 1, rows.size(), "every non-empty file");
        }
        assertEquals(1, loads, "one load in this JVM, whatever ran before");
        assertEquals(1, ExecutorModels.loads(), "no load for 16 more partitions");
        assertEquals(0, PartitionScorer.openTasks(), "every task's scorer was closed by its listener");
        assertEquals(arrays, liveArrays(), "live NDArrays after two jobs of 8 partitions");
    }

    private static List<Row> score(SparkFixture f) throws Exception {
        return RoentgenSpark.score(f.spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .option("pathGlobFilter", "*.dcm").load(f.scoreFolder.toString()), "path", f.bundle.toUri(),
                ScoreOptions.defaults().withPartitions(8).withBatchSize(2)).collectAsList();
    }

    /** Every NDArray alive in libtorch's managers of this JVM (the system manager counts its children's). */
    private static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager("PyTorch")) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }
}
