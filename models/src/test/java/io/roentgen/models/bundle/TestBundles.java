package io.roentgen.models.bundle;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.roentgen.dicom.image.PreprocessingSpec;
import io.roentgen.dicom.image.FloatImage;
import io.roentgen.engine.EngineSettings;
import io.roentgen.engine.RoentgenException;
import io.roentgen.models.arch.ArchitectureSpec;
import io.roentgen.models.arch.Architectures;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test helpers: an initialised (untrained) small network, its bundle writer, test images, fixtures. */
final class TestBundles {
    static final int SIZE = 32;
    static final List<String> LABELS = List.of("no blob", "blob");

    private TestBundles() {}

    static void applyEngineSettings() {
        EngineSettings.fromEnvironment().apply();
    }

    static ArchitectureSpec spec() {
        return ArchitectureSpec.of("small", 1, LABELS.size()).withImageSize(SIZE);
    }

    /** A seeded, initialised block in the given manager. */
    static Block initialisedBlock(NDManager manager, ArchitectureSpec spec) throws RoentgenException {
        Engine.getInstance().setRandomSeed(7);
        Block block = Architectures.build(spec);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, spec.inChannels(), spec.imageSize(), spec.imageSize()));
        return block;
    }

    static BundleWriter writer(Block block, ArchitectureSpec spec) throws RoentgenException {
        return ModelBundle.writer().name("blobs").version("3").architecture(spec).block(block)
                .preprocessing(PreprocessingSpec.standard(spec.imageSize(), spec.inChannels()))
                .labels(LABELS.subList(0, spec.numClasses()))
                .thresholds(spec.numClasses() == 2 ? new float[] {0.5f, 0.37f} : new float[spec.numClasses()])
                .metrics(Map.of("macroAuroc", 0.91, "auroc/blob", 0.91))
                .provenance(Provenance.ofTraining("ab12", "validation", 42L))
                .build();
    }

    /** Deterministic noise images of the model's input shape. */
    static List<FloatImage> images(int n, long seed) {
        Random random = new Random(seed);
        List<FloatImage> images = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] data = new float[SIZE * SIZE];
            for (int p = 0; p < data.length; p++) {
                data[p] = (float) random.nextGaussian();
            }
            images.add(new FloatImage(data, 1, SIZE, SIZE));
        }
        return images;
    }

    /** A folder of test resources, copied so tests can modify it. */
    static Path copyResourceDirectory(String name, Path target) throws IOException {
        try {
            Path source = Path.of(TestBundles.class.getResource("/bundle/" + name).toURI());
            Files.createDirectories(target);
            try (var files = Files.list(source)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
            return target;
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    static String resourceText(String name) throws IOException {
        try (InputStream in = TestBundles.class.getResourceAsStream("/bundle/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static NDManager cpuManager() {
        return NDManager.newBaseManager(Device.cpu());
    }
}
