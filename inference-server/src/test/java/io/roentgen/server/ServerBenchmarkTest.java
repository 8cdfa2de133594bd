package io.roentgen.server;

import io.roentgen.engine.EngineSettings;
import io.roentgen.server.bench.ServerBenchmark;
import io.roentgen.server.repository.ModelFormats;
import io.roentgen.server.testing.SyntheticDicom;
import io.roentgen.server.testing.TestRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark harness runs end to end (briefly); the figures themselves are never asserted. */
class ServerBenchmarkTest {
    @TempDir
    Path repo;

    @Test
    void measuresEveryRowWithoutErrors() throws Exception {
        EngineSettings.fromEnvironment().apply();
        TestRepository.addVersion(repo, "chest", "1", 51);
        ServerBenchmark bench = new ServerBenchmark(ModelFormats.standard(), repo, "chest",
                SyntheticDicom.instance("1.2.3.4", 1), 0.3, 8);
        List<ServerBenchmark.Row> rows = bench.run(new int[] {1, 4});
        assertEquals(5, rows.size(), rows.toString());
        for (ServerBenchmark.Row row : rows) {
            assertEquals(0, row.errors(), row.toString());
            assertTrue(row.imagesPerSecond() > 0, row.toString());
        }
    }
}
