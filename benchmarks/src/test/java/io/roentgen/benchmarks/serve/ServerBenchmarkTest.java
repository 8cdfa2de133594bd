package io.roentgen.benchmarks.serve;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.roentgen.datasets.manifest.Manifest;
import io.roentgen.datasets.manifest.ManifestOptions;
import io.roentgen.datasets.synth.SynthSpec;
import io.roentgen.datasets.synth.SyntheticCollection;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.engine.EngineSettings;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;
import io.roentgen.models.bundle.ModelBundle;
import io.roentgen.server.repository.ModelFormats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server benchmark runs end to end (briefly) against real servers; the figures themselves are never asserted. */
class ServerBenchmarkTest {
    @TempDir
    Path temp;

    @Test
    void measuresEveryRowWithoutErrors() throws Exception {
        EngineSettings.fromEnvironment().apply();
        Path repo = temp.resolve("repo");
        writeSmallBundle(repo.resolve("chest").resolve("1"), 32);
        Manifest manifest = Manifest.readCsv(SyntheticCollection.write(temp.resolve("synth"), SynthSpec.defaults(1).withSize(32))
                .manifest(), ManifestOptions.defaults());
        byte[] dicom = Files.readAllBytes(manifest.entries().get(0).path());
        ServerBenchmark bench = new ServerBenchmark(ModelFormats.standard(), repo, "chest", dicom, 0.3, 8);
        List<ServerBenchmark.Row> rows = bench.run(new int[] {1, 4});
        assertEquals(5, rows.size(), rows.toString());
        for (ServerBenchmark.Row row : rows) {
            assertEquals(0, row.errors(), row.toString());
            assertTrue(row.imagesPerSecond() > 0, row.toString());
        }
    }

    /** The {@code small} CNN, freshly initialised from a fixed seed, as a bundle for 1 x size x size input. */
    private static void writeSmallBundle(Path dir, int size) throws Exception {
        ArchitectureSpec spec = ArchitectureSpec.of("small", 1, 2).withImageSize(size);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(5);
            Block block = Architectures.build(spec);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, size, size));
            Files.createDirectories(dir.getParent());
            ModelBundle.writer().name("chest").version("1").architecture(spec).block(block)
                    .preprocessing(PreprocessingSpec.standard(size, 1)).labels(List.of("normal", "finding"))
                    .build().writeDirectory(dir);
        }
    }
}
